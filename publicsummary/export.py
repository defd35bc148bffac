"""The public summary as files: one self-contained HTML page (styles inline, no scripts, no
images or links to fetch; every value escaped, so text people wrote stays text) and a CSV of
its figures (made safe for spreadsheets by `present.exports`). Both hold only what the page
shows: figures after suppression, never a withheld count.

CSV: numbers and words in separate columns. Each figure (`count`, `rate_per_1000`, `change`
and the earlier periods') is a number or blank; the column beside it ending `_note` says why a
blank is blank ("withheld", "no figure"). `revised_note` says when a figure of the row was
published before with another value."""

from __future__ import annotations

from datetime import date

import pandas as pd
from markupsafe import Markup, escape

from config import Catalogue
from present import public_area_wording as aw
from present import public_wording as pw
from present.exports import csv_bytes
from publicsummary import Summary
from publicsummary.figures import MeasureFigures

CSS = """
body { font: 16px/1.5 Arial, "Liberation Sans", sans-serif; color: #1a1a1a; margin: 2em auto;
       max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-top: 1px solid #999; padding-top: 0.8em; }
.period { font-size: 1.2em; margin-top: 0; }
.demo { border: 2px solid #B35900; background: #FFF4E5; padding: 0.6em 1em; font-weight: bold; }
.note { color: #4D4D4D; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.force td, tr.division td { font-weight: bold; }
tr.district td:first-child { padding-left: 1.8em; }
.item { margin: 1em 0; }
.scroll { overflow-x: auto; }
@media (max-width: 40em) { body { font-size: 15px; } th, td { padding: 0.2em 0.35em; }
  tr.district td:first-child { padding-left: 0.9em; } }
"""
WITHHELD, NO_FIGURE = "withheld", "no figure"  # the CSV's notes beside a blank figure
CSV_COLUMNS = [
    "measure",
    "measure_name",
    "area",
    "area_type",
    "period",
    "count",
    "count_note",
    "rate_per_1000",
    "previous_period",
    "previous_count",
    "previous_count_note",
    "previous_rate_per_1000",
    "change",
    "change_note",
    "earlier_period",
    "earlier_count",
    "earlier_count_note",
    "revised_note",
]
NUMERIC = ["count", "rate_per_1000", "previous_count", "previous_rate_per_1000", "change"]


def _table(frame: pd.DataFrame, levels: list[str] | None = None) -> str:
    levels = levels or [""] * len(frame)
    head = "".join(f"<th scope='col'>{escape(c)}</th>" for c in frame.columns)
    rows = [
        f"<tr class='{escape(level)}'>" + "".join(f"<td>{escape(v)}</td>" for v in values) + "</tr>"
        for level, values in zip(levels, frame.itertuples(index=False), strict=True)
    ]
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"<div class='scroll'>{table}</div>"


def _measures(summary: Summary, catalogue: Catalogue) -> list[str]:
    force = catalogue.geography.force
    parts = []
    for figures in summary.measures:
        parts.append(f"<h2>{escape(pw.words(figures.code, catalogue).heading)}</h2>")
        parts.append(f"<p>{escape(pw.sentence(figures, summary, catalogue))}</p>")
        if note := pw.provisional(figures):
            parts.append(f"<p class='note'>{escape(note)}</p>")
        parts.append(f"<p class='note'>{escape(pw.definition(figures.code, catalogue))}</p>")
        if figures.complete_current or figures.complete_previous:
            parts.append(_table(pw.table(figures, summary), list(figures.rows["level"])))
        if len(summary.trend) > 1:
            parts.append(f"<h3>{escape(aw.TREND)}: {escape(pw.area_label(force, 'force'))}</h3>")
            parts.append(_table(aw.trend_table(figures, summary, force)))
    return parts


def _said_did(summary: Summary, catalogue: Catalogue) -> list[str]:
    parts = [f"<h2>{escape(pw.SAID_DID)}</h2>"]
    items = pw.said_did_items(summary, catalogue)
    if not items:
        parts.append(f"<p>{escape(pw.said_did_none(summary))}</p>")
    for head, what, did in items:
        parts.append(
            f"<div class='item'><h3>{escape(head)}</h3><p>{escape(what)}</p>"
            f"<p>{escape(did)}</p></div>"
        )
    return parts


def _revised(summary: Summary, catalogue: Catalogue) -> list[str]:
    if not summary.revised:
        return []
    notes = "".join(f"<li>{escape(aw.revision(r, catalogue))}</li>" for r in summary.revised)
    return [f"<h2>{escape(aw.REVISED)}</h2>", f"<p>{escape(aw.REVISED_NOTE)}</p><ul>{notes}</ul>"]


def html(summary: Summary, catalogue: Catalogue, *, today: date | None = None) -> bytes:
    """The summary as one HTML file (UTF-8)."""
    today = today or date.today()
    body = [f"<h1>{escape(pw.REPORT_TITLE)}</h1>"]
    if summary.is_demo:
        body.append(f"<p class='demo' role='note'>{escape(pw.DEMO)}</p>")
    if summary.period is None:
        body.append(f"<p>{escape(pw.no_period(summary, catalogue))}</p>")
    else:
        body.append(f"<p class='period'>{escape(pw.heading(summary))}</p>")
        body.append(f"<p>{escape(pw.intro(summary, catalogue))}</p>")
        body += _measures(summary, catalogue)
        body += _revised(summary, catalogue)
        body += _said_did(summary, catalogue)
        body.append(f"<h2>{escape(pw.HOW_TO_READ)}</h2>")
        notes = pw.how_to_read(summary, catalogue)
        body.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    body.append(f"<p class='note'>{escape(pw.prepared(summary, today))}</p>")
    page = Markup(
        "<!DOCTYPE html>\n<html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(pw.REPORT_TITLE)}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
    return str(page).encode("utf-8")


def _note(value: float, withheld: bool) -> str:
    if withheld:
        return WITHHELD
    return NO_FIGURE if pd.isna(value) else ""


def _revised_notes(figures: MeasureFigures, summary: Summary, catalogue: Catalogue) -> list[str]:
    found: dict[str, list[str]] = {}
    for r in summary.revised:
        if r.measure == figures.code:
            found.setdefault(r.area, []).append(aw.revision(r, catalogue))
    return [" ".join(found.get(area, [])) for area in figures.rows.index]


def measure_rows(figures: MeasureFigures, summary: Summary, catalogue: Catalogue) -> pd.DataFrame:
    """One measure's rows of the CSV (also its table's download on the page)."""
    t = figures.rows
    both = ~(t["current_withheld"] | t["previous_withheld"])
    change_note = [
        WITHHELD if not shown else _note(d, False)
        for shown, d in zip(both, t["change"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "measure": figures.code,
            "measure_name": pw.words(figures.code, catalogue).heading,
            "area": [pw.csv_area(a, lv) for a, lv in t["level"].items()],
            "area_type": t["level"].to_numpy(),
            "period": pw.period(summary.period),
            "count": t["current"].to_numpy(),
            "count_note": list(map(_note, t["current"], t["current_withheld"])),
            "rate_per_1000": t["current_rate"].to_numpy(),
            "previous_period": pw.period(summary.previous),
            "previous_count": t["previous"].to_numpy(),
            "previous_count_note": list(map(_note, t["previous"], t["previous_withheld"])),
            "previous_rate_per_1000": t["previous_rate"].to_numpy(),
            "change": t["change"].to_numpy(),
            "change_note": change_note,
            "earlier_period": pw.period(summary.earlier) if summary.earlier else "",
            "earlier_count": t["earlier"].to_numpy(),
            "earlier_count_note": list(map(_note, t["earlier"], t["earlier_withheld"]))
            if summary.earlier
            else "",
            "revised_note": _revised_notes(figures, summary, catalogue),
        }
    )
    for column in ("count", "previous_count", "change", "earlier_count"):
        frame[column] = frame[column].astype("Int64")
    return frame


def rows(summary: Summary, catalogue: Catalogue) -> pd.DataFrame:
    """The figures of every table, one row per measure and area: numbers (blank where there is
    none) in their own columns, and the words in the `_note` columns."""
    if summary.period is None:
        return pd.DataFrame(columns=CSV_COLUMNS)
    frames = [measure_rows(f, summary, catalogue) for f in summary.measures]
    return pd.concat(frames, ignore_index=True)[CSV_COLUMNS]


def csv(summary: Summary, catalogue: Catalogue) -> bytes:
    return csv_bytes(rows(summary, catalogue))
