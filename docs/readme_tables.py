"""The README's tables written from the code, by cog (`cog -r README.md`; CI runs
`cog --check README.md`, which fails when a table is out of date).

- Settings: every field of `config.settings.Settings`, in the order declared, with its default
  as it would be written in the environment (`true`/`false`, "(none)" for an empty text) and
  its description, which is the only place a setting's meaning is written.
- Commands: every command and subcommand of `manage.py build_parser()`, in the order the
  parser holds them, with its arguments as argparse writes them (without `-h`, choices as
  `a|b`) and its help.

Not a package module: cog runs it from the README's folder (the project folder is on its path),
so it may import `manage`, which imports everything.
"""

from __future__ import annotations

import argparse
import re

from pydantic_core import PydanticUndefined

NONE = "(none)"
PROGRAM = "python manage.py"
CHOICES = re.compile(r"\{([^{}]*)\}")
HELP_OPTION = re.compile(r"\[-h\] ?")
USAGE_WIDTH = 10_000  # one line: Markdown wraps the cell


def cell(text: str) -> str:
    """Text safe in a Markdown table cell: a pipe escaped, lines joined."""
    return " ".join(text.split()).replace("|", r"\|")


def block(lines: list[str]) -> str:
    """Markdown lines between blank lines (so the cog comments around them stay apart)."""
    return "\n" + "\n".join(lines) + "\n\n"


def sentence(text: str) -> str:
    """`text` on one line, ending with a full stop."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def default_text(value: object) -> str:
    """A setting's default as written in the environment or `.env`."""
    if value is PydanticUndefined or value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def settings_table() -> str:
    """The Markdown table of every setting: name, default, meaning."""
    from config.settings import Settings

    lines = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        meaning = cell(field.description or "")
        lines.append(f"| `{name}` | {default_text(field.default)} | {meaning} |")
    return block(lines)


def arguments(parser: argparse.ArgumentParser) -> str:
    """A parser's arguments as argparse's usage line writes them, without the program,
    `-h` and line breaks, with choices as `a|b` and "..." after an option that may be given
    more than once."""
    formatter = argparse.HelpFormatter(prog=parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, "")
    usage = HELP_OPTION.sub("", formatter.format_help().strip())
    for action in parser._actions:  # an option given more than once is followed by "..."
        if isinstance(action, argparse._AppendAction | argparse._ExtendAction):
            shown = re.compile(rf"\[{re.escape(action.option_strings[0])} [^\[\]]*\]")
            usage = shown.sub(lambda match: match.group(0) + "...", usage)
    usage = CHOICES.sub(lambda match: match.group(1).replace(",", "|"), usage)
    return usage.removeprefix(parser.prog).strip()


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, arguments, help) of every command and subcommand, depth first."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help for choice in action._choices_actions}
        for name, sub in action.choices.items():
            words = (*path, name)
            yield words, arguments(sub), helps.get(name) or ""
            yield from commands(sub, words)


def commands_table() -> str:
    """The Markdown table of every command of `manage.py`, with the options every command
    takes (before its name) listed above it."""
    from manage import build_parser

    parser = build_parser()
    lines = [f"`{PROGRAM} {arguments(parser)}`; every command has `--help`.", ""]
    for action in parser._actions:
        if action.option_strings and not isinstance(action, argparse._HelpAction):
            option = f"{action.option_strings[-1]} {action.metavar or action.dest.upper()}"
            lines.append(f"- `{option}` (before the command): {sentence(action.help or '')}")
    lines += [
        "",
        "| command | arguments | what it does |",
        "| --- | --- | --- |",
    ]
    for words, args, text in commands(parser):
        shown = f"`{cell(args)}`" if args else ""
        lines.append(f"| `{' '.join(words)}` | {shown} | {cell(text)} |")
    return block(lines)
