"""Every word the dashboard shows about a figure: numbers as the board reads them, status
labels and reasons, and the tables of figures a status is judged on (the words of SPC charts
are in `present.spc_wording`). Pages, `manage.py` and exports use these; nothing here draws (no
streamlit import) and nothing here computes a figure."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd

from config.models import Measure, Status
from config.vocabulary import Aggregation, Direction, TargetKind, Unit
from metrics.scorecard import Score
from present.window_wording import GAP_MARK, month_range, months_loaded

STATUS_ICONS = {
    Status.MISSED: "■",
    Status.OFF_TRACK: "✖",
    Status.AT_RISK: "▲",
    Status.ON_TRACK: "●",
    Status.ACHIEVED: "★",
    Status.INSUFFICIENT: "?",
}
NOT_AVAILABLE = "n/a"
# The sharpest chance stated: claims of 90% and more held on the backtest (bench/calibration.py
# reliability table), but the 95% intervals are only calibrated to within a few points, so a
# chance beyond 95% (or below 5%) is stated as "over 95%" ("under 5%"), never "over 99%".
CHANCE_LIMIT = 0.95
NO_FIGURE = "–"  # an empty table cell: no figure there (never "None" or "nan")
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def fmt(value: float | None, unit: str) -> str:
    """A figure as the board reads it: thousands separated, percentages to one decimal."""
    if missing(value):
        return NOT_AVAILABLE
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.HOURS:
        return f"{value:,.0f} hours"
    return f"{value:,.0f}"


def month(value: date | pd.Timestamp) -> str:
    return f"{value:%B %Y}"


def day(value: date) -> str:
    return f"{value:%d %B %Y}"


def period(first: date, last: date) -> str:
    return f"{first:%B %Y} to {last:%B %Y}"


def chance(probability: float) -> str:
    """A chance in whole percent (as the status rule takes it), never sharper than the
    backtest supports: beyond `CHANCE_LIMIT` it reads "over 95%" (or "under 5%"), the
    sharpest claims whose track record held (README, "Calibrated forecasts")."""
    if missing(probability):
        return NOT_AVAILABLE
    percent = round(probability * 100)
    limit = round(CHANCE_LIMIT * 100)
    if percent > limit:
        return f"over {limit}%"
    if percent < 100 - limit:
        return f"under {100 - limit}%"
    return f"{percent}%"


def status_label(word: str) -> str:
    """The status as shown: icon and word, never colour alone."""
    return f"{STATUS_ICONS[Status(word)]} {word}"


def status_with_chance(word: str, probability: float) -> str:
    """A status with the chance it is judged on, for a cell: "● on track (97%)"."""
    if Status(word) in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        return f"{status_label(word)} ({chance(probability)})"
    return status_label(word)


def league_figure(score: Score, measure: Measure) -> str:
    """The figure beside a status in a league: the latest 12 months and the baseline year, as
    counts (never a percentage change): "1 in 12 months (baseline year 2)"."""
    if missing(score.rolling_12m):
        return latest_12_months(score, measure)
    over = "over" if measure.unit == Unit.PERCENT else "in"
    base = (
        "no baseline year"
        if missing(score.baseline)
        else f"baseline year {fmt(score.baseline, measure.unit)}"
    )
    return f"{fmt(score.rolling_12m, measure.unit)} {over} 12 months ({base})"


def status_with_figure(score: Score, measure: Measure) -> str:
    """A league cell: the status, its chance and the figure beside it: "✖ off track (3%) ·
    1 in 12 months (baseline year 2)"."""
    return (
        f"{status_with_chance(score.status, score.probability)} · {league_figure(score, measure)}"
    )


def target_text(score: Score, measure: Measure) -> str:
    """What meeting the target means, e.g. "below 54,064" or "at least 3,400 hours"."""
    value = fmt(score.target, measure.unit)
    if missing(score.baseline):
        return "no baseline yet"
    if missing(score.target):
        return NOT_AVAILABLE
    down = measure.good_direction == Direction.DECREASE
    if score.strict:
        return f"{'below' if down else 'above'} {value}"
    return f"{'at most' if down else 'at least'} {value}"


def _goal(score: Score, measure: Measure) -> str:
    """The target in words: "below the baseline of 54,064", "at least 3,400 hours"."""
    if score.target_kind != TargetKind.DIRECTIONAL:
        return target_text(score, measure)
    value = fmt(score.target, measure.unit)
    if score.strict:
        side = "below" if measure.good_direction == Direction.DECREASE else "above"
        return f"{side} the baseline of {value}"
    return f"at the baseline of {value}, the best it can be"


def chance_of(score: Score, measure: Measure) -> str:
    """The chance and what it is the chance of, for a table: "97% chance of ending below the
    baseline of 54,064"."""
    if score.status not in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        return reason(score, measure).partition(": ")[2]
    return f"{chance(score.probability)} chance of ending {_goal(score, measure)}"


def reason(score: Score, measure: Measure) -> str:
    """Why the status is what it is, in words: "on track: 88% chance of ending the year to
    March 2027 below the baseline of 54,064"."""
    year = f"the year to {month(score.target_end)}"
    word = score.status
    if word == Status.INSUFFICIENT:
        if score.spc.frame.empty:
            return f"{word}: no figures for this measure are loaded yet"
        if score.spc.frame["provisional"].all():
            return (
                f"{word}: every month loaded is provisional (its figures still rise as late "
                "outcomes or returns arrive), so nothing can be judged yet; for police.uk "
                "outcomes, load a later publication (an outcomes file or an archive)"
            )
        if missing(score.baseline):
            year = period(measure.baseline.first, measure.baseline.last)
            if score.judged_to < measure.baseline.last:
                return (
                    f"{word}: the baseline year ({year}) is not complete by "
                    f"{month(score.judged_to)}: nothing to judge against yet"
                )
            return f"{word}: the baseline year ({year}) {_baseline_state(score, measure)}"
        if not score.window_complete:
            return (
                f"{word}: the 12 months to {month(score.judged_to)} are not judged: "
                + months_loaded(
                    score.months_present, score.months_missing, provisional=_young_12(score)
                )
            )
        return (
            f"{word}: no chance of meeting the target can be computed: every month from the "
            f"baseline year to {month(score.judged_to)} must be loaded"
        )
    if word in (Status.ACHIEVED, Status.MISSED):
        verdict = "met" if word == Status.ACHIEVED else "did not meet"
        return (
            f"{word}: {year} ended at {fmt(score.target_year, measure.unit)}, which "
            f"{verdict} the target ({_goal(score, measure)})"
        )
    return f"{word}: {chance(score.probability)} chance of ending {year} {_goal(score, measure)}"


def _baseline_state(score: Score, measure: Measure) -> str:
    """Why a baseline year that has ended has no figure."""
    if not score.baseline_present:
        return "is not loaded: nothing to judge against"
    young = _young_baseline(score, measure)
    if score.baseline_missing or young:
        loaded = months_loaded(score.baseline_present, score.baseline_missing, provisional=young)
        return f"has {loaded}: nothing to judge against"
    return "has no cases to make a figure of: nothing to judge against"


def latest_12_months(score: Score, measure: Measure) -> str:
    """The latest 12 months as a table shows them, saying where later months are provisional
    and which months are missing when there is no figure ("9 of 12 months loaded (missing:
    October to December 2024)")."""
    if missing(score.rolling_12m):
        if score.spc.frame.empty:
            return "no figures loaded"
        young = _young_12(score)
        if score.months_missing or young:
            return months_loaded(score.months_present, score.months_missing, provisional=young)
        return "no cases in these 12 months"
    note = judged_to_note(score)
    figure = survey_figure(score, measure)
    if measure.aggregation == Aggregation.SURVEY and not missing(score.interval[0]):
        return f"{figure[:-1]}; {note})" if note else figure
    return f"{figure} ({note})" if note else figure


def survey_figure(score: Score, measure: Measure) -> str:
    """The latest 12 months with, for a survey, its 95% interval and respondents: "62.1% (95%
    interval 57.3% to 66.7%; 4,912 respondents)"."""
    figure = fmt(score.rolling_12m, measure.unit)
    low, high = score.interval
    if measure.aggregation != Aggregation.SURVEY or missing(score.rolling_12m) or missing(low):
        return figure
    return (
        f"{figure} (95% interval {low:.1f}% to {high:.1f}%; "
        f"{counted(round(score.respondents), 'respondent')})"
    )


def survey_columns(scores: list[Score], measure: Measure) -> dict[str, list]:
    """A survey's respondents and 95% interval as raw columns for a download (none for
    other measures)."""
    if measure.aggregation != Aggregation.SURVEY:
        return {}
    return {
        "respondents": [s.respondents for s in scores],
        "interval_95_low": [round(s.interval[0], 3) for s in scores],
        "interval_95_high": [round(s.interval[1], 3) for s in scores],
    }


def month_ranges(months: list[date]) -> str:
    """Months as runs: "July to October 2022 and March 2023"."""
    runs: list[list[date]] = []
    for m in sorted(months):
        last = runs[-1][-1] if runs else None
        if last is not None and (m.year * 12 + m.month) - (last.year * 12 + last.month) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [month(r[0]) if len(r) == 1 else f"{r[0]:%B %Y} to {r[-1]:%B %Y}" for r in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def published_young(score: Score) -> list[date]:
    """Provisional months before `judged_to`: police.uk months whose outcomes were too young
    when published (later months are provisional by their place in the series)."""
    return [m for m in score.provisional_months if m < score.judged_to]


def _young_12(score: Score) -> list[date]:
    """Months published young among the 12 to `judged_to`."""
    first = pd.Timestamp(score.judged_to) - pd.DateOffset(months=11)
    return [m for m in published_young(score) if pd.Timestamp(m) >= first]


def _young_baseline(score: Score, measure: Measure) -> list[date]:
    """Months published young in the baseline year (they leave it without a figure)."""
    first, last = measure.baseline.first, measure.baseline.last
    return [m for m in published_young(score) if first <= m <= last]


def publication_note(score: Score, measure: Measure) -> str:
    """Why months inside the series are provisional, in a sentence (empty if none are)."""
    young = published_young(score)
    if not young:
        return ""
    n = measure.outcome_maturity_months
    verb = "was" if len(young) == 1 else "were"
    return (
        f"Provisional: {month_ranges(young)} {verb} published by police.uk less than "
        f"{counted(n, 'month')} after the month ended, before most outcomes were known, so "
        f"{'it is' if len(young) == 1 else 'they are'} drawn hollow and left out of the status, "
        "the limits and every 12-month figure until a later publication is loaded."
    )


def baseline_text(score: Score, measure: Measure) -> str:
    """The baseline year's figure, or why it has none (partial: the months loaded)."""
    if not missing(score.baseline):
        return fmt(score.baseline, measure.unit)
    if score.judged_to < measure.baseline.last:
        return "not complete yet"
    young = _young_baseline(score, measure)
    if score.baseline_present and (score.baseline_missing or young):
        return months_loaded(score.baseline_present, score.baseline_missing, provisional=young)
    return "not loaded"


def provisional_note(months: int, judged_to: date) -> str:
    """Why later months are left out, in a sentence."""
    later = "the latest month is" if months == 1 else f"the latest {months} months are"
    return (
        f"Figures are taken to {month(judged_to)}: {later} provisional (outcomes or survey "
        "returns still arriving), drawn hollow and left out of the status."
    )


def judged_to_note(score: Score) -> str:
    """Where the latest months are provisional, the month the figures are taken to; where
    months of the 12 are (published young), how many."""
    notes = [f"to {month(score.judged_to)}; later months provisional"] if score.provisional else []
    first = pd.Timestamp(score.judged_to) - pd.DateOffset(months=11)
    young = [m for m in published_young(score) if pd.Timestamp(m) >= first]  # in the 12 months
    if young:
        notes.append(f"{counted(len(young), 'month')} of the 12 provisional: published young")
    return "; ".join(notes)


def change_text(change: float, change_pct: float, measure: Measure) -> str:
    """A change as the board reads it: percentage points for percentages, per cent for
    counts, and none for small numbers (where a percentage misleads)."""
    if measure.small_numbers:
        return f"{change:+,.0f}" if not missing(change) else NOT_AVAILABLE
    if missing(change) or (measure.unit != Unit.PERCENT and missing(change_pct)):
        return NOT_AVAILABLE
    if measure.unit == Unit.PERCENT:
        return f"{change:+.1f} pts"
    return f"{change_pct:+.1f}%"


def sparkline(values: list[float]) -> str:
    """A row of block characters for a table cell, one a calendar month, a month with no
    figure marked `GAP_MARK` (the figures are in the downloads)."""
    clean = [v for v in values if not missing(v)]
    if not clean:
        return ""
    low, high = min(clean), max(clean)
    span = (high - low) or 1.0
    top = len(SPARK_BLOCKS) - 1
    return "".join(
        GAP_MARK if missing(v) else SPARK_BLOCKS[round((v - low) / span * top)] for v in values
    )


def league_table(
    league: pd.DataFrame, measure: Measure, chosen: str, label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A league as shown (words) and as downloaded (raw numbers): the latest 12 months, the
    rate and change where they mean something, and the figures the status is judged on."""
    shown = pd.DataFrame({label: ["▶ " + a if a == chosen else a for a in league["area"]]})
    raw = pd.DataFrame({"area": league["area"]})
    shown["Latest 12 months"] = [latest_12_months(s, measure) for s in league["score"]]
    raw["latest_12_months"] = league["rolling_12m"]
    for name, column in survey_columns(list(league["score"]), measure).items():
        raw[name] = column
    if measure.rate_per_1000:
        shown["Rate per 1,000 residents"] = [
            NOT_AVAILABLE if missing(v) else f"{v:.2f}" for v in league["rate_per_1000"]
        ]
        raw["rate_per_1000"] = league["rate_per_1000"].round(3)
    if not measure.small_numbers:
        shown["Change on previous 12 months"] = [
            change_text(c, p, measure)
            for c, p in zip(league["change"], league["change_pct"], strict=True)
        ]
    raw["previous_12_months"] = league["previous_12m"]
    shown["Baseline"] = [baseline_text(s, measure) for s in league["score"]]
    raw["baseline"] = league["baseline"]
    shown["Target"] = [target_text(s, measure) for s in league["score"]]
    raw["target"] = league["target"]
    shown["Chance of meeting it"] = [chance(p) for p in league["probability"]]
    raw["chance_of_meeting_target"] = league["probability"].round(3)
    shown["Status"] = [
        f"{status_label(s.status)} · {league_figure(s, measure)}" for s in league["score"]
    ]
    raw["status"] = league["status"].astype(str)
    return shown, raw


def missing_month_note(month) -> str:
    """The note on a chart, and the line on the Data page, for a month with no police.uk file."""
    return f"No police.uk file for {month:%Y-%m}: the month is a gap, not a zero."


# --- police.uk archives ------------------------------------------------------------------------


def counted(n: int, noun: str) -> str:
    """A count with its noun: "1 row", "2 rows"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


SCORING = (
    "Working out every measure's status for this data (once for each change of data, then "
    "stored for everyone)..."
)


def scoring_progress(done: int, total: int) -> str:
    """The progress bar's text while stored scores are computed."""
    return f"{SCORING} {done:,} of {total:,} figures."


MEASURE_TABLE_NOTE = (
    "Status comes from the chance that the target year meets its target (*Definitions and "
    "targets* gives the rules). SPC variation: whether the latest month shows a real change; "
    "SPC assurance: whether the process as it now runs will meet the target's monthly "
    "equivalent (not applicable to a target only to beat the baseline: the chance says more). "
    "Choose a measure below for its charts and its divisions and districts."
)


def code_span(value: str, *, limit: int = 60) -> str:
    """`value` as a markdown code span, so a message shows it exactly as typed: no markdown,
    HTML, link, emoji or Streamlit directive in it takes effect (backslash escapes are not
    enough: Streamlit still turns an escaped "http\\://..." into a link). On one line, cut
    to `limit` characters; fenced with more backticks than any run inside it."""
    text = " ".join(value.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def missing_months_note(first, last) -> str:
    """The note on a chart for a run of months with no police.uk file (shaded "No data")."""
    if first == last:
        return missing_month_note(first)
    return f"No police.uk files for {month_range(first, last)}: the months are a gap, not zeros."
