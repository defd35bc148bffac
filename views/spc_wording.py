"""The words of an SPC chart: its title, the caption read from the same limits the chart
draws, the variation and assurance icons' texts, and each point's label. Like
`views.wording`, nothing here draws or computes."""

from __future__ import annotations

from config.models import Measure
from config.signals import SpcSettings
from metrics import control, rare, spc
from views.wording import fmt, missing, month, period

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
    spc.NOT_APPLICABLE: "Assurance does not apply: the target is to do better than the baseline "
    "year, and the chance of meeting it says how likely that is",
}
ASSURANCE_SHORT = {
    "pass": "will pass",
    "fail": "will fail",
    "hit_and_miss": "hit and miss",
    "none": "no assurance",
    spc.NOT_APPLICABLE: "not applicable (see the chance)",
}


def spc_title(reading: control.Reading) -> str:
    """What kind of chart this is, for its title."""
    adjusted = " (seasonally adjusted)" if reading.seasonal else ""
    kinds = {control.RUN: "run chart", control.RARE: "c chart for rare events"}
    return f"{kinds.get(reading.kind, 'SPC chart')}{adjusted}"


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
    elif reading.seasonal_wanted and reading.kind == control.RARE:
        parts.append(
            "Not seasonally adjusted: a chart for rare events reads the counts as recorded."
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
    if reading.kind == control.RARE:
        parts.append(rare_sentence(reading, measure, settings))
    for number, segment in enumerate(reading.segments):
        parts.append(_segment_sentence(segment, number, unit, rare=reading.kind == control.RARE))
    parts.append(VARIATION_TEXT[reading.variation] + ".")
    parts.append(_assurance_sentence(reading, measure))
    return " ".join(parts)


def rare_sentence(reading: control.Reading, measure: Measure, settings: SpcSettings) -> str:
    """Which chart reads rare events, why, and its rules for the latest limits, in plain
    English."""
    why = (
        "configured as small numbers"
        if measure.small_numbers
        else f"fewer than {settings.rare_event_mean:g} a month on average here"
    )
    runs = f"{settings.shift_run} months in a row above the centre line"
    latest = reading.latest
    if latest is not None and not missing(latest.centre):
        above, below = rare.run_lengths(latest.centre, settings.shift_run)
        runs = f"{above:.0f} months in a row above the centre line"
        if latest.centre > 0 and below != float("inf"):
            runs += f", {below:.0f} in a row below it"
    return (
        f"Rare events ({why}): a c chart with exact Poisson limits, not an XmR chart. A month "
        f"is a special cause only above the upper limit with at least {rare.MIN_EVENTS_OUTSIDE} "
        f"events, in a run of {runs} (runs as unlikely as {settings.shift_run} in a row on an "
        f"ordinary chart), or in a trend of {settings.trend_run}: never one or two events."
    )


def _centre(value: float, unit: str, rare_events: bool) -> str:
    """A centre line: a rare-event rate to two decimals ("0.17 a month")."""
    return f"{value:.2f} a month" if rare_events and not missing(value) else fmt(value, unit)


def _segment_sentence(
    segment: control.Segment, number: int, unit: str, *, rare: bool = False
) -> str:
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
        f"{_centre(segment.centre, unit, rare)}, fitted on {fitted}{trial}."
    )


def _assurance_sentence(reading: control.Reading, measure: Measure) -> str:
    latest = reading.latest
    if reading.assurance == spc.NOT_APPLICABLE and missing(reading.target):
        return f"{ASSURANCE_TEXT[spc.NOT_APPLICABLE]}."
    if reading.assurance == spc.NOT_APPLICABLE:
        mean = _centre(reading.target, measure.unit, reading.kind == control.RARE)
        return (
            "Assurance does not apply: the target is to do better than the baseline year, "
            f"whose monthly mean ({mean}) lies within routine variation by construction, so the "
            "limits cannot say whether it will be met; the chance of meeting the target does."
        )
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
