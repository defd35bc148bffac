"""Every word residents read in the six-monthly public summary: the page, and its HTML and CSV
exports (`publicsummary.export`). Plain English for a reading age of about 9 (GOV.UK): short
sentences and short words, measured in tests/test_public_summary.py (Flesch-Kincaid grade).

Rules: a half year is compared with the SAME months a year before (never the months just before
it); no count from 1 to the small-number threshold - 1 appears anywhere; a change is given
exactly where both its figures are shown (it is the difference of two published numbers) and
is "withheld" where either is; a rate is withheld with its count. Nothing here draws or
computes a figure; text people wrote is returned as written, and each output escapes it.
The "your area", trend and revision words are in `present.public_area_wording`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from config import Catalogue
from config.force import FORCE_AREA, POLICE_FORCE
from config.models import PublicWords
from config.vocabulary import Level
from present.wording import NO_FIGURE

if TYPE_CHECKING:
    from publicsummary import Summary
    from publicsummary.figures import MeasureFigures
    from publicsummary.periods import Period

TITLE = "Public summary"
REPORT_TITLE = f"Tackling anti-social behaviour and shoplifting in {FORCE_AREA}"
WITHHELD = "withheld"
SMALL_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
PAGE_NOTE = (
    "Written for residents: figures for the whole force, its divisions and districts only, "
    "with small numbers withheld. The sidebar's area does not apply here (choose an area "
    "below); its month is the latest month the summary may include."
)
DEMO = (
    "Demonstration data: the figures in this summary are invented for demonstration. They are "
    f"not real {POLICE_FORCE} figures."
)
NO_FIGURES = (
    "We do not have any figures for this report yet, so there is nothing to show. The report "
    "will appear when we have six full months of figures."
)
SAID_DID = "You said, we did"
SAID_DID_NONE = "We have no news to share since {month} yet."
HOW_TO_READ = "How to read these figures"
DOWNLOAD_HTML = "Download the summary (web page)"
DOWNLOAD_CSV = "Download the figures (CSV)"
BY_AREA = "Figures for each division and district"
RATE = "For every 1,000 people"
CHANGE = "Change from a year before"
INDENT = "\u2003"  # an em space before a district's name, under its division


def words(code: str, catalogue: Catalogue) -> PublicWords:
    """How the summary names and explains measure `code` (config/measures.toml, its
    `[measure.public]`)."""
    return catalogue.public_words(code)


def small(n: int) -> str:
    """A number of things (not a figure) in words below ten: "six months"."""
    return SMALL_WORDS[n] if 0 <= n < len(SMALL_WORDS) else f"{n:,}"


def period(p: Period) -> str:
    """ "April to September 2026", or "October 2025 to March 2026" across a year."""
    return span(p.first, p.last)


def span(first: date, last: date) -> str:
    """The months `first` to `last` as `period` words them."""
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def month(value: date) -> str:
    return f"{value:%B %Y}"


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def months_of_year(numbers: list[int]) -> str:
    names = [date(2000, n, 1).strftime("%B") for n in sorted(set(numbers))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def heading(summary: Summary) -> str:
    return f"Progress report: {period(summary.period)}"


def intro(summary: Summary, catalogue: Catalogue) -> str:
    geo = catalogue.geography
    return (
        f"{FORCE_AREA} Police has a plan to tackle anti-social behaviour. We said we would tell "
        "you how it is going every six months. This report gives the figures for "
        f"{period(summary.period)}. It covers {geo.force}, its {small(len(geo.division))} "
        "divisions and each of its districts (council areas). We compare each "
        f"figure with the same months a year before ({period(summary.previous)})."
    )


def no_period(summary: Summary, catalogue: Catalogue) -> str:
    """Why there is no summary to show."""
    if summary.held is None and summary.through is not None:
        return (
            f"We do not have any figures up to {month(summary.through)} for this report, so "
            "there is nothing to show."
        )
    if summary.held is None:
        return NO_FIGURES
    rules = catalogue.public
    return (
        f"The report covers {small(rules.months)} full months that end in "
        f"{months_of_year(rules.end_months)}. It needs figures for every district in every "
        f"month. We have figures from {month(summary.held.first)} to "
        f"{month(summary.held.last)}. That is not enough yet, so there is no report to show."
    )


def count(value: float) -> str:
    return f"{value:,.0f}"


def cell(value: float, withheld: bool) -> str:
    """A figure in a table: the count, "withheld", or a dash for no figure."""
    if withheld:
        return WITHHELD
    return NO_FIGURE if pd.isna(value) else count(value)


SMALLEST_RATE = 0.05  # below this, a rate above zero reads "under 0.1" (it would round to 0.0)


def rate(value: float) -> str:
    """A rate per 1,000 people to one decimal place; "under 0.1" rather than a false 0.0."""
    if 0 < value < SMALLEST_RATE:
        return "under 0.1"
    return f"{value:,.1f}"


def rate_cell(value: float, withheld: bool) -> str:
    """A rate per 1,000 people (`rate`), "withheld" with its count, or a dash."""
    if withheld:
        return WITHHELD
    return NO_FIGURE if pd.isna(value) else rate(value)


def change(row: pd.Series) -> str:
    """The change from the same months a year before, in words: exact where both figures are
    shown; "withheld" where either is withheld; a dash where either has no figure."""
    for column in ("current", "previous"):
        if pd.isna(row[column]) and not row[f"{column}_withheld"]:
            return NO_FIGURE
    if row["current_withheld"] or row["previous_withheld"]:
        return WITHHELD
    d = row["change"]
    if d == 0:
        return "no change"
    return f"{'up' if d > 0 else 'down'} {count(abs(d))}"


def area_label(area: str, level: str) -> str:
    if level == Level.FORCE:
        return f"{area} (whole force)"
    if level == Level.DIVISION:
        return f"{area} division"
    if level == "unlinked":
        return "Not linked to a district"
    return area


def csv_area(area: str, level: str) -> str:
    return area_label(area, level) if level == "unlinked" else area


def table(figures: MeasureFigures, summary: Summary, *, indent: bool = False) -> pd.DataFrame:
    """A measure's table as residents read it: every cell text (`indent`: districts' names
    indented under their division's). The two years before are shown when loaded."""
    rows = figures.rows
    pad = {Level.DISTRICT: INDENT * 2} if indent else {}
    shown = {"Area": [pad.get(lv, "") + area_label(a, lv) for a, lv in rows["level"].items()]}
    shown[period(summary.period)] = list(map(cell, rows["current"], rows["current_withheld"]))
    shown[RATE] = list(map(rate_cell, rows["current_rate"], rows["current_withheld"]))
    shown[period(summary.previous)] = list(map(cell, rows["previous"], rows["previous_withheld"]))
    shown[CHANGE] = [change(r) for _, r in rows.iterrows()]
    if summary.earlier is not None:
        shown[period(summary.earlier)] = list(map(cell, rows["earlier"], rows["earlier_withheld"]))
    return pd.DataFrame(shown)


def sentence(figures: MeasureFigures, summary: Summary, catalogue: Catalogue) -> str:
    """The force's figure for the period, its rate and its change from a year before."""
    said, force = words(figures.code, catalogue), figures.force
    where, when, before = catalogue.geography.force, period(summary.period), year_before(summary)
    if not figures.complete_current:
        return f"We do not have all the figures on {said.many} for {when}, so we cannot give them."
    if force["current_withheld"]:
        return f"The number of {said.many} in {where} from {when} is withheld."
    n = force["current"]
    text = f"From {when}, there {'was' if n == 1 else 'were'} {count(n) if n else 'no'} "
    text += f"{said.one if n == 1 else said.many} in {where}."
    if n:
        text += f" That is {rate(force['current_rate'])} for every 1,000 people."
    if force["previous_withheld"]:
        return text + f" The figure for {before} is withheld, so we cannot compare."
    if pd.isna(force["previous"]):
        return text + f" We do not have the figures for {before} to compare with."
    text += f" In {before} there were {count(force['previous'])}."
    d = force["change"]
    if d == 0:
        return text + " That is the same number."
    were = "was" if abs(d) == 1 else "were"
    return text + f" So there {were} {count(abs(d))} {'more' if d > 0 else 'fewer'} this time."


def year_before(summary: Summary) -> str:
    """ "the same months a year before (April to September 2025)"."""
    return f"the same months a year before ({period(summary.previous)})"


def provisional(figures: MeasureFigures) -> str | None:
    if not figures.provisional:
        return None
    return (
        "Some crimes are solved months after they take place. So the figures for the last few "
        "months may still go up."
    )


def definition(code: str, catalogue: Catalogue) -> str:
    return f"What we count: {words(code, catalogue).counted}"


def said_did_items(summary: Summary, catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """Each public commentary as (heading, what happened, what we are doing), as written."""
    items = []
    for _, row in summary.said_did.iterrows():
        title = words(row["measure"], catalogue).heading
        head = f"{month(row['month'])}, {row['area']}: {title}"
        did = row["actions"] or "We have not written down what we are doing yet."
        items.append((head, f"What happened: {row['what']}", f"What we are doing: {did}"))
    return items


def said_did_none(summary: Summary) -> str:
    return SAID_DID_NONE.format(month=month(summary.period.first))


def how_to_read(summary: Summary, catalogue: Catalogue) -> list[str]:
    """The notes under the tables, each a few short sentences."""
    t, geo = summary.threshold, catalogue.geography
    source = next(s for s in geo.population_sources if s.key == geo.population_for_rates)
    notes = [
        f"Each figure is the total for {small(len(summary.period.months()))} months. We compare "
        "it with the same months a year before. This is fair, as anti-social behaviour goes up "
        "and down with the seasons. There is more of it in summer.",
        "A division's figure adds up its districts. The force's figure adds up its divisions.",
        f'"{RATE}" helps you compare big and small areas. It uses the number of people who '
        f"live in each area, from the {source.publisher} ({source.year}).",
    ]
    if t > 1:
        notes.append(
            f'"Withheld" means we do not show a figure. We hide figures above zero and below {t}, '
            "so that nobody can be picked out. We hide some bigger figures too. Then a small "
            "figure cannot be worked out from the rest. We show zero. When a figure is "
            "withheld, so is its change and its rate."
        )
    notes.append("A dash (–) means we have no figure.")
    if any("unlinked" in set(m.rows["level"]) for m in summary.measures):
        notes.append(
            '"Not linked to a district" counts reports where we do not know the place. They '
            "are part of the force's figure."
        )
    notes.append(
        "More reports do not always mean more is going on. They can mean that more people "
        "trust us to act."
    )
    return notes


def prepared(summary: Summary, today: date) -> str:
    held = [d for d in (summary.held.last if summary.held else None, summary.through) if d]
    through = min(held) if held else today
    return (
        f"Made in {month(today)} from the ASB Action Plan dashboard of {POLICE_FORCE}, "
        f"with figures up to {month(through)}."
    )
