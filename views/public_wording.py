"""Every word residents read in the six-monthly public summary: the page, and its HTML and CSV
exports (`publicsummary.export`). Plain English, numbers as figures only where they are
figures: no number from 1 to the small-number threshold - 1 appears anywhere, in a table or a
sentence (a small change is "up by fewer than 5"). Nothing here draws or computes a figure;
text people wrote is returned as written, and each output escapes it for itself."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from config import Catalogue
from views.public_measures import Words, words  # noqa: F401 (re-exported for the exports)
from views.wording import NO_FIGURE

if TYPE_CHECKING:
    from publicsummary import Summary
    from publicsummary.figures import MeasureFigures
    from publicsummary.periods import Period

TITLE = "Public summary"
REPORT_TITLE = "Tackling anti-social behaviour and shoplifting in Lancashire"
WITHHELD = "withheld"
SMALL_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
PAGE_NOTE = (
    "Written for residents: figures for the whole force, its divisions and districts only, "
    "with small numbers withheld. The sidebar's area does not apply here; its month is the "
    "latest month the summary may include."
)
DEMO = (
    "Demonstration data: the figures in this summary are invented for demonstration. They are "
    "not real Lancashire Constabulary figures."
)
NO_FIGURES = (
    "The data store holds no figures yet for the measures in this summary, so there is "
    "nothing to summarise. The summary appears once a complete period of figures has been "
    "loaded."
)
SAID_DID = "You said, we did"
SAID_DID_NONE = "No updates have been marked for the public since {month} yet."
HOW_TO_READ = "How to read these figures"
DOWNLOAD_HTML = "Download the summary (web page)"
DOWNLOAD_CSV = "Download the figures (CSV)"
BY_AREA = "Figures for each division and district"
INDENT = "\u2003"  # an em space before a district's name, under its division


def small(n: int) -> str:
    """A number of things (not a figure) in words below ten: "six months"."""
    return SMALL_WORDS[n] if 0 <= n < len(SMALL_WORDS) else f"{n:,}"


def period(p: Period) -> str:
    """ "April to September 2026", or "October 2025 to March 2026" across a year."""
    if p.first.year == p.last.year:
        return f"{p.first:%B} to {p.last:%B %Y}"
    return f"{p.first:%B %Y} to {p.last:%B %Y}"


def between(p: Period) -> str:
    if p.first.year == p.last.year:
        return f"Between {p.first:%B} and {p.last:%B %Y}"
    return f"Between {p.first:%B %Y} and {p.last:%B %Y}"


def month(value: date) -> str:
    return f"{value:%B %Y}"


def months_of_year(numbers: list[int]) -> str:
    names = [date(2000, n, 1).strftime("%B") for n in sorted(set(numbers))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def before(summary: Summary) -> str:
    """ "the six months before" (the period's length in words)."""
    return f"the {small(len(summary.period.months()))} months before"


def heading(summary: Summary) -> str:
    return f"Progress report: {period(summary.period)}"


def intro(summary: Summary, catalogue: Catalogue) -> str:
    geo = catalogue.geography
    return (
        "Lancashire Constabulary's Anti-Social Behaviour Action Plan promises residents an "
        "update on its progress every six months. This summary gives the figures for "
        f"{period(summary.period)} for {geo.force}, each of its policing divisions and each "
        f"of its districts (council areas), compared with {before(summary)} "
        f"({period(summary.previous)})."
    )


def no_period(summary: Summary, catalogue: Catalogue) -> str:
    """Why there is no summary to show."""
    if summary.held is None and summary.through is not None:
        return (
            f"The data store holds no figures up to {month(summary.through)} for the measures "
            "in this summary, so there is nothing to summarise."
        )
    if summary.held is None:
        return NO_FIGURES
    rules = catalogue.public
    return (
        f"The summary covers {small(rules.months)} complete months ending in "
        f"{months_of_year(rules.end_months)}, with figures for every district in every month. "
        f"The figures it may use run from {month(summary.held.first)} to "
        f"{month(summary.held.last)}, which do not yet make up such a period, so there is no "
        "summary to show yet."
    )


def count(value: float) -> str:
    return f"{value:,.0f}"


def cell(value: float, withheld: bool) -> str:
    """A figure in a table: the count, "withheld", or a dash for no figure."""
    if withheld:
        return WITHHELD
    return NO_FIGURE if pd.isna(value) else count(value)


def change(row: pd.Series, threshold: int) -> str:
    """The change from the period before, in words: only where both figures are shown;
    "withheld" where either is withheld, a dash where either period has no figure."""
    for column in ("current", "previous"):
        if pd.isna(row[column]) and not row[f"{column}_withheld"]:
            return NO_FIGURE
    if row["current_withheld"] or row["previous_withheld"]:
        return WITHHELD
    d = row["change"]
    if d == 0:
        return "no change"
    direction = "up" if d > 0 else "down"
    if abs(d) < threshold:
        return f"{direction} by fewer than {threshold}"
    return f"{direction} {count(abs(d))}"


def area_label(area: str, level: str) -> str:
    if level == "force":
        return f"{area} (whole force)"
    if level == "division":
        return f"{area} division"
    if level == "unlinked":
        return "Not linked to a district"
    return area


def csv_area(area: str, level: str) -> str:
    return area_label(area, level) if level == "unlinked" else area


def table(figures: MeasureFigures, summary: Summary, *, indent: bool = False) -> pd.DataFrame:
    """A measure's table as residents read it: every cell text (`indent`: districts' names
    indented under their division's)."""
    rows = figures.rows
    pad = {"district": INDENT * 2} if indent else {}
    return pd.DataFrame(
        {
            "Area": [pad.get(lv, "") + area_label(a, lv) for a, lv in rows["level"].items()],
            period(summary.period): [
                cell(v, h) for v, h in zip(rows["current"], rows["current_withheld"], strict=True)
            ],
            period(summary.previous): [
                cell(v, h) for v, h in zip(rows["previous"], rows["previous_withheld"], strict=True)
            ],
            "Change": [change(r, summary.threshold) for _, r in rows.iterrows()],
        }
    )


def sentence(figures: MeasureFigures, summary: Summary, catalogue: Catalogue) -> str:
    """The force's figure for the period, and its change, in one or two sentences."""
    said, force = words(figures.code, catalogue), figures.force
    where, when = catalogue.geography.force, between(summary.period)
    if not figures.complete_current:
        return (
            f"There are no complete figures on {said.many} for {period(summary.period)}: the "
            "data store does not hold every district's figures for every month of it."
        )
    if force["current_withheld"]:
        return f"{when} the number of {said.many} in {where} is withheld (see below)."
    n = force["current"]
    text = f"{when} there {'was' if n == 1 else 'were'} {count(n) if n else 'no'} "
    text += f"{said.one if n == 1 else said.many} in {where}"
    if force["previous_withheld"]:
        return text + f". The figure for {before(summary)} is withheld, so no change is given."
    if pd.isna(force["previous"]):
        return text + f". There are no complete figures for {before(summary)} to compare with."
    d = force["change"]
    if d == 0:
        return text + f", the same number as in {before(summary)}."
    more = "more" if d > 0 else "fewer"
    if abs(d) < summary.threshold:
        return text + (
            f", almost the same as in {before(summary)} ({change(force, summary.threshold)})."
        )
    return text + f", {count(abs(d))} {more} than in {before(summary)}."


def provisional(figures: MeasureFigures) -> str | None:
    if not figures.provisional:
        return None
    return (
        "Outcomes are often recorded months after the crime, so the figures for the latest "
        "months may still rise."
    )


def definition(code: str, catalogue: Catalogue) -> str:
    return f"What is counted: {words(code, catalogue).counted}"


def said_did_items(summary: Summary, catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """Each public commentary as (heading, what happened, what we are doing), as written."""
    items = []
    for _, row in summary.said_did.iterrows():
        title = words(row["measure"], catalogue).heading
        head = f"{month(row['month'])}, {row['area']}: {title}"
        did = row["actions"] or "No actions have been recorded yet."
        items.append((head, f"What happened: {row['what']}", f"What we are doing: {did}"))
    return items


def said_did_none(summary: Summary) -> str:
    return SAID_DID_NONE.format(month=month(summary.period.first))


def how_to_read(summary: Summary) -> list[str]:
    """The notes under the tables, each a sentence or two."""
    t = summary.threshold
    notes = [
        f"Each figure is the total for {small(len(summary.period.months()))} months. A "
        "division's figure is the sum of its "
        "districts, and the force's figure is the sum of its divisions.",
    ]
    if t > 1:
        notes.append(
            f'"Withheld" means a figure is not published. Figures above zero but fewer than '
            f"{t} are withheld, so that nobody can be identified from a small number. Some "
            "larger figures are withheld too, so that a small one cannot be worked out by "
            "taking the other figures away from a total. Zero is shown."
        )
        notes.append(
            f'A change of fewer than {t} is described as "up by fewer than {t}" or "down by '
            f'fewer than {t}". Where either figure is withheld, so is the change.'
        )
    notes.append("A dash (–) means there is no figure.")
    if any("unlinked" in set(m.rows["level"]) for m in summary.measures):
        notes.append(
            '"Not linked to a district" counts reports whose location could not be linked to '
            "a district, for example because none was recorded. They are part of the force's "
            "figure."
        )
    notes.append(
        "Recorded figures can rise when more people report, as well as when more happens: more "
        "reports can reflect greater confidence in the police."
    )
    return notes


def prepared(summary: Summary, today: date) -> str:
    held = [d for d in (summary.held.last if summary.held else None, summary.through) if d]
    through = min(held) if held else today
    return (
        f"Prepared in {month(today)} from the ASB Action Plan dashboard of Lancashire "
        f"Constabulary, with figures up to {month(through)}."
    )
