"""The pack as one self-contained HTML file: styles inline, charts as SVG data URIs, every
value escaped (text people wrote stays text). The PDF is made from the same HTML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from boardpack import images
from boardpack.content import Pack
from present import pack_words as words
from present import wording as w

TEMPLATES = Path(__file__).parent / "templates"
LEGEND = "Status icons: " + ", ".join(f"{i} {s.value}" for s, i in w.STATUS_ICONS.items())


def table(frame: pd.DataFrame, *, icons: bool = False) -> Markup:
    """A frame as an HTML table, every cell escaped; `icons`: cells after the first centred."""
    if frame.empty:
        return Markup("<p class='note'>None.</p>")
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = [
            f"<td{' class=icon' if icons and i else ''}>{escape(_cell(v))}</td>"
            for i, v in enumerate(values)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return w.NO_FIGURE
    if isinstance(value, datetime):
        return f"{value:%d %B %Y %H:%M}"
    return str(value)


def charts(pack: Pack, progress=lambda _share, _text: None) -> tuple[dict, dict]:
    """Each measure's charts as SVG data URIs and their titles (the images' alt text)."""
    drawn, alts = {}, {}
    measures = [m for op in pack.operations for m in op.measures if m.shown_under is None]
    with images.chromium():
        for i, m in enumerate(measures):
            progress(0.9 + 0.08 * i / max(len(measures), 1), f"Drawing {m.title}")
            drawn[m.code] = [images.svg(f) for f in m.figures_drawn]
            alts[m.code] = [f"{m.title}: {f.layout.title.text}" for f in m.figures_drawn]
    return drawn, alts


SAFE_CSS = set(" .,:;-()")  # characters a CSS string may hold as they are
MARGIN_FONT = 'font: 8pt "Liberation Sans", Arial, sans-serif; color: #444;'


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: anything but letters, digits and plain punctuation
    written as a CSS escape, so no text can end the string."""
    escaped = "".join(c if c.isalnum() or c in SAFE_CSS else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def page_css(pack: Pack) -> str:
    """The printed page's margins: the pack, area and period bottom left on every page; the
    data's freshness and source top left, and the demonstration label top right, on every
    page when it applies."""
    footer = _css_string(words.footer(pack.area, pack.as_of))
    fresh = _css_string(words.freshness(pack))
    boxes = [
        f"@bottom-left {{ content: {footer}; {MARGIN_FONT} }}",
        f"@top-left {{ content: {fresh}; {MARGIN_FONT} width: 70%; }}",
    ]
    if pack.is_demo:
        label = _css_string(words.DEMO_RUNNING)
        boxes.append(f"@top-right {{ content: {label}; {MARGIN_FONT} color: #8a4b00; }}")
    return "@page { " + " ".join(boxes) + " }"


def render(pack: Pack, *, progress=lambda _share, _text: None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]))
    drawn, alts = charts(pack, progress)
    c = pack.changes
    levels = pack.levels
    return env.get_template("pack.html.j2").render(
        pack=pack,
        words=words,
        css=Markup((TEMPLATES / "pack.css").read_text() + page_css(pack)),
        cover=words.cover_lines(pack),
        footer=words.footer(pack.area, pack.as_of),
        legend=LEGEND,
        summary=pack.summary.drop(columns=["Last 24 months"]),
        moves=words.listed(c.moves, levels).drop(columns=["level", "better"]) if c else None,
        moves_districts=words.moves_by_district(c.moves) if c else None,
        exceptions=words.listed(pack.exceptions, levels),
        exceptions_districts=words.exceptions_by_district(pack.exceptions, levels),
        loads=words.loads_table(c.loads) if c else None,
        revisions=words.revisions_table(c.revisions) if c else None,
        dip_activity=words.dip_activity_table(c.dip) if c else None,
        commentary_since=words.commentary_table(c.commentary) if c else None,
        actions_open=words.actions_table(pack.actions[pack.actions["open_at_meeting"]])
        if not pack.actions.empty
        else pd.DataFrame(),
        actions_closed=words.actions_table(pack.actions[~pack.actions["open_at_meeting"]])
        if not pack.actions.empty
        else pd.DataFrame(),
        freshness=words.freshness(pack),
        league=pack.league.replace(regex={" · ": "\n"}),  # the chance on a line of its own
        charts=drawn,
        alts=alts,
        table=table,
        month=w.month,
        made=datetime.now(),
    )
