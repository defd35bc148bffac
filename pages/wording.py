"""Every word the dashboard shows about a figure, in one place: numbers as the board reads them,
status labels and reasons, SPC readings and their captions. Pages, `manage.py` and exports
use these; nothing here draws (no streamlit import) and nothing here computes a figure."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from config.models import Measure, SpcSettings, Status
from metrics import control, spc
from metrics.scorecard import Score

STATUS_ICONS = {
    Status.MISSED: "■",
    Status.OFF_TRACK: "✖",
    Status.AT_RISK: "▲",
    Status.ON_TRACK: "●",
    Status.ACHIEVED: "★",
    Status.INSUFFICIENT: "?",
}
VARIATION_TEXT = {
    "common_cause": "Common cause: no significant change",
    "improvement_high": "Special cause: improvement (higher)",
    "improvement_low": "Special cause: improvement (lower)",
    "concern_high": "Special cause: concern (higher)",
    "concern_low": "Special cause: concern (lower)",
    "neutral_high": "Special cause: higher (neither good nor bad)",
    "neutral_low": "Special cause: lower (neither good nor bad)",
    "none": "Not enough data to judge variation",
}
VARIATION_SHORT = {
    "common_cause": "no real change",
    "improvement_high": "improving ↑",
    "improvement_low": "improving ↓",
    "concern_high": "worsening ↑",
    "concern_low": "worsening ↓",
    "neutral_high": "real rise",
    "neutral_low": "real fall",
    "none": "too few months",
}
ASSURANCE_TEXT = {
    "pass": "Consistently passing the target",
    "fail": "Consistently failing the target",
    "hit_and_miss": "Hit and miss: the target is within routine variation",
    "none": "No assurance against the target",
}
ASSURANCE_SHORT = {
    "pass": "will pass",
    "fail": "will fail",
    "hit_and_miss": "hit and miss",
    "none": "no assurance",
}
NOT_AVAILABLE = "n/a"
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def fmt(value: float | None, unit: str) -> str:
    """A figure as the board reads it: thousands separated, percentages to one decimal."""
    if missing(value):
        return NOT_AVAILABLE
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "hours":
        return f"{value:,.0f} hours"
    return f"{value:,.0f}"


def month(value: date | pd.Timestamp) -> str:
    return f"{value:%B %Y}"


def period(first: date, last: date) -> str:
    return f"{first:%B %Y} to {last:%B %Y}"


def chance(probability: float) -> str:
    """A chance in whole percent (as the status rule takes it); "over 99%" and "under 1%"
    rather than 100% and 0%: a forecast is never certain."""
    if missing(probability):
        return NOT_AVAILABLE
    percent = round(probability * 100)
    if percent >= 100:
        return "over 99%"
    if percent <= 0:
        return "under 1%"
    return f"{percent}%"


def status_label(word: str) -> str:
    """The status as shown: icon and word, never colour alone."""
    return f"{STATUS_ICONS[Status(word)]} {word}"


def status_with_chance(word: str, probability: float) -> str:
    """A status with the chance it is judged on, for a cell: "● on track (97%)"."""
    if Status(word) in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        return f"{status_label(word)} ({chance(probability)})"
    return status_label(word)


def target_text(score: Score, measure: Measure) -> str:
    """What meeting the target means, e.g. "below 54,064" or "at least 3,400 hours"."""
    value = fmt(score.target, measure.unit)
    if missing(score.baseline):
        return "no baseline yet"
    if missing(score.target):
        return NOT_AVAILABLE
    down = measure.good_direction == "decrease"
    if score.strict:
        return f"{'below' if down else 'above'} {value}"
    return f"{'at most' if down else 'at least'} {value}"


def _goal(score: Score, measure: Measure) -> str:
    """The target in words: "below the baseline of 54,064", "at least 3,400 hours"."""
    if score.target_kind != "directional":
        return target_text(score, measure)
    value = fmt(score.target, measure.unit)
    if score.strict:
        side = "below" if measure.good_direction == "decrease" else "above"
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
        if missing(score.baseline):
            year = period(measure.baseline.first, measure.baseline.last)
            if score.judged_to < measure.baseline.last:
                return (
                    f"{word}: the baseline year ({year}) is not complete by "
                    f"{month(score.judged_to)}: nothing to judge against yet"
                )
            return f"{word}: the baseline year ({year}) is not loaded: nothing to judge against"
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


def latest_12_months(score: Score, measure: Measure) -> str:
    """The latest 12 months as a table shows them, saying where later months are provisional
    and what is missing when there is no figure yet."""
    if missing(score.rolling_12m):
        return "needs 12 months of data" if not score.spc.frame.empty else "no figures loaded"
    note = judged_to_note(score)
    figure = fmt(score.rolling_12m, measure.unit)
    return f"{figure} ({note})" if note else figure


def baseline_text(score: Score, measure: Measure) -> str:
    return "not loaded" if missing(score.baseline) else fmt(score.baseline, measure.unit)


def provisional_note(months: int, judged_to: date) -> str:
    """Why later months are left out, in a sentence."""
    later = "the latest month is" if months == 1 else f"the latest {months} months are"
    return (
        f"Figures are taken to {month(judged_to)}: {later} provisional (outcomes or survey "
        "returns still arriving), drawn hollow and left out of the status."
    )


def judged_to_note(score: Score) -> str:
    """Where the latest months are provisional, the month the figures are taken to."""
    if not score.provisional:
        return ""
    return f"to {month(score.judged_to)}; later months provisional"


def change_text(change: float, change_pct: float, measure: Measure) -> str:
    """A change as the board reads it: percentage points for percentages, per cent for
    counts, and none for small numbers (where a percentage misleads)."""
    if measure.small_numbers:
        return f"{change:+,.0f}" if not missing(change) else NOT_AVAILABLE
    if missing(change) or (measure.unit != "percent" and missing(change_pct)):
        return NOT_AVAILABLE
    if measure.unit == "percent":
        return f"{change:+.1f} pts"
    return f"{change_pct:+.1f}%"


def sparkline(values: list[float]) -> str:
    """A row of block characters for a table cell (the figures are in the downloads)."""
    clean = [v for v in values if not missing(v)]
    if not clean:
        return ""
    low, high = min(clean), max(clean)
    span = (high - low) or 1.0
    top = len(SPARK_BLOCKS) - 1
    return "".join(
        " " if missing(v) else SPARK_BLOCKS[round((v - low) / span * top)] for v in values
    )


def spc_title(reading: control.Reading) -> str:
    """What kind of chart this is, for its title."""
    adjusted = " (seasonally adjusted)" if reading.seasonal else ""
    return f"{'run chart' if reading.kind == control.RUN else 'SPC chart'}{adjusted}"


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?")) else text.rstrip() + "."


def spc_caption(reading: control.Reading, measure: Measure, settings: SpcSettings) -> str:
    """The chart's reading in words, from the same limits the chart draws."""
    unit = measure.unit
    parts = []
    if reading.kind == control.NONE:
        return "No months to judge yet."
    if reading.seasonal:
        factors = reading.seasonal
        kind = "divided by" if factors.multiplicative else "less"
        parts.append(
            f"Seasonally adjusted: each month is {kind} its month-of-year factor, estimated "
            f"from {period(factors.first, factors.last)}."
        )
    elif reading.seasonal_wanted:
        parts.append(
            "Not seasonally adjusted yet: the season needs at least "
            f"{settings.seasonal_min_months} months."
        )
    if reading.kind == control.RUN:
        mature = reading.frame[~reading.frame["provisional"]]
        parts.append(
            f"A run chart: {len(mature)} months are too few for process limits "
            f"({settings.min_points} are needed); the centre line is the median, "
            f"{fmt(mature['centre'].iat[0], unit)}."
        )
    for number, segment in enumerate(reading.segments):
        parts.append(_segment_sentence(segment, number, unit))
    parts.append(VARIATION_TEXT[reading.variation] + ".")
    parts.append(_assurance_sentence(reading, measure))
    return " ".join(parts)


def _segment_sentence(segment: control.Segment, number: int, unit: str) -> str:
    opening = ""
    if number:
        opening = f"From {month(segment.start)} the limits were recalculated: "
        opening += _sentence(segment.reason) + " "
    elif segment.reason:
        opening = _sentence(segment.reason) + " "
    if missing(segment.upper):
        return opening + "Too few months since then for limits; they are drawn from two months."
    fitted = (
        "the baseline year"
        if segment.on_baseline_year
        else period(segment.fitted_from, segment.fitted_to)
    )
    trial = (
        f" (trial limits: fewer than {spc.MIN_POINTS_FOR_LIMITS} months)" if segment.trial else ""
    )
    return (
        f"{opening}Limits {fmt(segment.lower, unit)} to {fmt(segment.upper, unit)} around "
        f"{fmt(segment.centre, unit)}, fitted on {fitted}{trial}."
    )


def _assurance_sentence(reading: control.Reading, measure: Measure) -> str:
    latest = reading.latest
    if reading.assurance == "none" or latest is None:
        return ASSURANCE_TEXT["none"] + "."
    where = {
        "hit_and_miss": "lies within the latest limits",
        "pass": "lies outside the latest limits, on the side the process passes",
        "fail": "lies outside the latest limits, on the side the process fails",
    }[reading.assurance]
    return (
        f"{ASSURANCE_TEXT[reading.assurance]}: the target's monthly equivalent, "
        f"{fmt(reading.target, measure.unit)}, {where} "
        f"({fmt(latest.lower, measure.unit)} to {fmt(latest.upper, measure.unit)})."
    )


def point_label(point_type: str) -> str:
    return {
        "common_cause": "common cause",
        "improvement": "special cause: improvement",
        "concern": "special cause: concern",
        "neutral": "special cause",
        control.PROVISIONAL: "provisional",
    }[point_type]


def league_table(
    league: pd.DataFrame, measure: Measure, chosen: str, label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A league as shown (words) and as downloaded (raw numbers): the latest 12 months, the
    rate and change where they mean something, and the figures the status is judged on."""
    shown = pd.DataFrame({label: ["▶ " + a if a == chosen else a for a in league["area"]]})
    raw = pd.DataFrame({"area": league["area"]})
    shown["Latest 12 months"] = [latest_12_months(s, measure) for s in league["score"]]
    raw["latest_12_months"] = league["rolling_12m"]
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
    shown["Status"] = [status_label(s) for s in league["status"]]
    raw["status"] = league["status"].astype(str)
    return shown, raw
