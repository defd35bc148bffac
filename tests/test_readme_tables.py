"""The README's generated tables (`docs/readme_tables.py`, written by `cog -r README.md`)."""

from __future__ import annotations

import argparse

import pytest
from pydantic_core import PydanticUndefined

from docs.readme_tables import arguments, cell, commands, default_text, settings_table


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("", "(none)"),
        (None, "(none)"),
        (PydanticUndefined, "(none)"),
        (False, "`false`"),
        (True, "`true`"),
        (0, "`0`"),
        (10_000, "`10000`"),
        ("/usr/bin/chromium", "`/usr/bin/chromium`"),
    ],
)
def test_a_default_is_shown_as_it_is_written_in_the_environment(value, shown):
    assert default_text(value) == shown


def test_a_cell_is_one_line_with_its_pipes_escaped():
    assert cell("a | b\n  c") == r"a \| b c"


def tiny_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py")
    commands_ = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands_.add_parser("run", help="run it")
    run.add_argument("--level", choices=["force", "district"])
    run.add_argument("--area", metavar="NAME", action="append")
    group = run.add_mutually_exclusive_group()
    group.add_argument("--size", metavar="N")
    group.add_argument("--all", action="store_true")
    run.add_argument("path", metavar="PATH")
    user = commands_.add_parser("user", help="accounts")
    actions = user.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("add", help="add an account").add_argument("name", metavar="NAME")
    return parser


def test_arguments_are_argparse_usage_without_help_and_with_choices_as_alternatives():
    run = tiny_parser()._subparsers._group_actions[0].choices["run"]
    assert arguments(run) == "[--level force|district] [--area NAME]... [--size N | --all] PATH"


def test_every_command_and_subcommand_is_listed_in_order_with_its_help():
    assert list(commands(tiny_parser())) == [
        (("run",), "[--level force|district] [--area NAME]... [--size N | --all] PATH", "run it"),
        (("user",), "ACTION ...", "accounts"),
        (("user", "add"), "NAME", "add an account"),
    ]


def test_the_settings_table_has_a_row_per_setting_between_blank_lines():
    from config.settings import Settings

    table = settings_table()
    assert table.startswith("\n| setting | default | meaning |") and table.endswith("|\n\n")
    assert table.count("\n| `") == len(Settings.model_fields)
