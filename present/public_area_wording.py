"""The public summary's words for "your area", its trend, figures revised since they were
published, and publishing (`present.public_wording` has the rest). Same rules: no count from 1 to
the threshold - 1, a withheld count's rate and change withheld too, plain short sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from config import Catalogue
from config.vocabulary import Level
from present import public_wording as pw

if TYPE_CHECKING:
    from publicsummary import Summary
    from publicsummary.figures import MeasureFigures
    from publicsummary.revisions import Revision

YOUR_AREA = "Your area"
CHOOSE_AREA = "Choose your area"
CHOOSE_MEASURE = "Choose what to show over time"
TREND = "Over time"
TREND_NOTE = (
    "Each bar is the total for six months. We show half years, not single months: a month in "
    "a small area can hold a very small number, and we never show those."
)
REVISED = "Figures changed since we published them"
REVISED_NOTE = (
    "Sometimes figures change after we publish them, for example when a report is moved to the "
    "right month. These figures are different from the ones we published before."
)
PUBLISH = "Publish this summary"
PUBLISH_HELP = (
    "Keeps this summary, its figures and its words exactly as they are now, with your name and "
    "the date, and records it in the audit log. Later summaries will say if any of these "
    "figures change. Then download the files below to send."
)
PUBLISHED_BEFORE = "Summaries published before"
NONE_PUBLISHED = "No summary has been published yet."


def area_choices(catalogue: Catalogue) -> list[str]:
    """The force, then each division followed by its districts."""
    geo = catalogue.geography
    found = [geo.force]
    for division in geo.division:
        found += [division.name] + [d.name for d in geo.district if d.division == division.name]
    return found


def area_name(area: str, catalogue: Catalogue) -> str:
    level = catalogue.area_level(area)
    return pw.area_label(area, Level.FORCE if level == Level.FORCE else level)


def area_table(summary: Summary, area: str, catalogue: Catalogue) -> pd.DataFrame:
    """One row per measure for `area`: the period's count, its rate, a year before, change."""
    rows = []
    for m in summary.measures:
        r = m.rows.loc[area]
        rows.append(
            {
                "What": pw.words(m.code, catalogue).heading,
                pw.period(summary.period): pw.cell(r["current"], r["current_withheld"]),
                pw.RATE: pw.rate_cell(r["current_rate"], r["current_withheld"]),
                pw.period(summary.previous): pw.cell(r["previous"], r["previous_withheld"]),
                pw.CHANGE: pw.change(r),
            }
        )
    return pd.DataFrame(rows)


def trend_table(figures: MeasureFigures, summary: Summary, area: str) -> pd.DataFrame:
    """The half-year totals of `area`, oldest first: "Six months", "Number" (text)."""
    return pd.DataFrame(
        {
            "Six months": [pw.period(p) for p in summary.trend],
            "Number": [pw.cell(v, h) for v, h in figures.trend_of(area, summary.trend)],
        }
    )


def short_periods(summary: Summary) -> list[str]:
    """The trend's half years as short axis labels: "Apr-Sep 2026", "Oct 2025-Mar 2026"."""
    return [
        f"{p.first:%b}-{p.last:%b %Y}"
        if p.first.year == p.last.year
        else f"{p.first:%b %Y}-{p.last:%b %Y}"
        for p in summary.trend
    ]


def trend_title(figures: MeasureFigures, area: str, catalogue: Catalogue) -> str:
    return f"{pw.words(figures.code, catalogue).heading}: {area_name(area, catalogue)}"


def trend_text(figures: MeasureFigures, summary: Summary, area: str, catalogue: Catalogue) -> str:
    """The chart's text alternative: what it shows and every figure."""
    table = trend_table(figures, summary, area)
    listed = "; ".join(f"{w}: {n}" for w, n in table.itertuples(index=False))
    said = pw.words(figures.code, catalogue).many
    return (
        f"Bar chart of {said} in {area_name(area, catalogue)} for each six months. "
        f"The figures are: {listed}. The same figures are in the table."
    )


def revision(r: Revision, catalogue: Catalogue) -> str:
    """ "Burnley, April to September 2025: changed since we published it on 15 October 2025:
    was 120, now 125." The earlier figure was published; the new one only if shown."""
    area = pw.area_label(r.area, _level(r.area, catalogue))
    now = pw.WITHHELD if r.now is None else pw.count(r.now)
    return (
        f"{pw.words(r.measure, catalogue).heading}, {area}, {pw.period(r.period)}: revised since "
        f"published on {pw.day(r.issued_on)}: was {pw.count(r.was)}, now {now}."
    )


def _level(area: str, catalogue: Catalogue) -> str:
    try:
        return catalogue.area_level(area)
    except (KeyError, ValueError):
        return "unlinked"


def published_label(row: pd.Series, *, by: bool = True) -> str:
    """A past publication in the list: number, period, when and (`by`: for staff) by whom."""
    span = pw.span(row["period_first"], row["period_last"])
    when = f"{row['issued_at']:%d %B %Y %H:%M}"
    who = f" by {row['issued_by']}" if by else ""
    return f"Summary {row['issue']}: {span}, published {when}{who}"


def published_done(issue: int) -> str:
    return f"Published as summary {issue}. The files below are the summary as published."
