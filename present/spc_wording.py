"""The words of an SPC chart: its title, the caption read from the same limits the chart
draws, the variation and assurance icons' texts, and each point's label. Like
`present.wording`, nothing here draws or computes."""

from __future__ import annotations

import pandas as pd

from config.models import Measure
from config.signals import SpcSettings
from config.vocabulary import Assurance, PointType, Variation
from metrics import control, fitting, rare, spc
from present.wording import fmt, missing, month, period

VARIATION_TEXT: dict[str, str] = {
    Variation.COMMON_CAUSE: "Common cause: no significant change",
    Variation.IMPROVEMENT_HIGH: "Special cause: improvement (higher)",
    Variation.IMPROVEMENT_LOW: "Special cause: improvement (lower)",
    Variation.CONCERN_HIGH: "Special cause: concern (higher)",
    Variation.CONCERN_LOW: "Special cause: concern (lower)",
    Variation.NEUTRAL_HIGH: "Special cause: higher (neither good nor bad)",
    Variation.NEUTRAL_LOW: "Special cause: lower (neither good nor bad)",
    Variation.NONE: "Not enough data to judge variation",
}
VARIATION_SHORT: dict[str, str] = {
    Variation.COMMON_CAUSE: "no real change",
    Variation.IMPROVEMENT_HIGH: "improving ↑",
    Variation.IMPROVEMENT_LOW: "improving ↓",
    Variation.CONCERN_HIGH: "worsening ↑",
    Variation.CONCERN_LOW: "worsening ↓",
    Variation.NEUTRAL_HIGH: "real rise",
    Variation.NEUTRAL_LOW: "real fall",
    Variation.NONE: "too few months",
}
ASSURANCE_TEXT: dict[str, str] = {
    Assurance.PASS: "Consistently passing the target",
    Assurance.FAIL: "Consistently failing the target",
    Assurance.HIT_AND_MISS: "Hit and miss: the target is within routine variation",
    Assurance.NONE: "No assurance against the target",
    spc.NOT_APPLICABLE: "Assurance does not apply: the target is to do better than the baseline "
    "year, and the chance of meeting it says how likely that is",
}
ASSURANCE_SHORT: dict[str, str] = {
    Assurance.PASS: "will pass",
    Assurance.FAIL: "will fail",
    Assurance.HIT_AND_MISS: "hit and miss",
    Assurance.NONE: "no assurance",
    spc.NOT_APPLICABLE: "not applicable (see the chance)",
}


def spc_title(reading: control.Reading) -> str:
    """What kind of chart this is, for its title."""
    adjusted = " (seasonally adjusted)" if reading.seasonal else ""
    kinds: dict[str, str] = {control.RUN: "run chart", control.RARE: "c chart for rare events"}
    return f"{kinds.get(reading.kind, 'SPC chart')}{adjusted}"


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?")) else text.rstrip() + "."


def spc_caption(reading: control.Reading, measure: Measure, settings: SpcSettings) -> str:
    """The chart's reading in words, from the same limits the chart draws."""
    unit = measure.unit
    parts = []
    exceptional = [exceptional_sentence(p) for p in reading.exceptional]
    if reading.kind == control.NONE:
        return " ".join(["No months to judge yet.", *exceptional])
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
            f"{settings.seasonal_min_months} months"
            + (" outside exceptional periods." if reading.exceptional else ".")
        )
    parts += exceptional
    if reading.kind == control.RUN:
        parts.append(_run_sentence(reading, unit, settings))
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


def _run_sentence(reading: control.Reading, unit: str, settings: SpcSettings) -> str:
    frame = reading.frame
    judged = frame[~frame["provisional"] & ~frame["exceptional"]]
    median = fmt(judged["centre"].iat[-1], unit)
    if judged["segment"].nunique() > 1:  # a median of its own after each exceptional period
        median = f"median of each stretch between exceptional periods (latest {median})"
    else:
        median = f"median, {median}"
    return (
        f"A run chart: {len(judged)} months are too few for process limits "
        f"({settings.min_points} are needed); the centre line is the {median}."
    )


def exceptional_sentence(period_: fitting.Period) -> str:
    """An exceptional period in words: named, dated, and not judged."""
    first, last, name = period_
    return (
        f"{name} ({period(first, last)}, shaded): an exceptional period, drawn "
        "but not judged; no limits are fitted on its months and no rule runs across it."
    )


def fitted_words(segment: control.Segment) -> str:
    """Which months a segment's limits were fitted on, and why."""
    if segment.on_baseline_year:
        return "the baseline year"
    span = len(pd.date_range(segment.fitted_from, segment.fitted_to, freq="MS"))
    months = "months" if segment.fitted_points != 1 else "month"
    loaded = " with data" if span > segment.fitted_points else ""
    after = f", after the {segment.after}" if segment.after else ""
    return (
        f"the latest {segment.fitted_points} {months}{loaded}, "
        f"{period(segment.fitted_from, segment.fitted_to)}{after}"
    )


def _segment_opening(segment: control.Segment, number: int) -> str:
    if segment.after:  # the segment follows an exceptional period (and perhaps a recalculation)
        also = "; ".join(r for r in segment.reason.split("; ") if r != segment.after)
        if also:
            return (
                f"From {month(segment.start)} the limits were also recalculated: {_sentence(also)} "
            )
        return f"From {month(segment.start)}: "
    if number:
        opening = f"From {month(segment.start)} the limits were recalculated: "
        return opening + _sentence(segment.reason) + " "
    return _sentence(segment.reason) + " " if segment.reason else ""


def segment_note(segment: control.Segment) -> str:
    """The dated note on a chart where a segment begins."""
    if segment.after and segment.reason == segment.after:
        return f"SPC limits fitted afresh after the {segment.after} (not judged)."
    return f"SPC limits recalculated. {segment.reason}"


def _segment_sentence(
    segment: control.Segment, number: int, unit: str, *, rare: bool = False
) -> str:
    opening = _segment_opening(segment, number)
    if missing(segment.upper):
        return opening + "Too few months since then for limits; they are drawn from two months."
    trial = (
        f" (trial limits: fewer than {spc.MIN_POINTS_FOR_LIMITS} months)" if segment.trial else ""
    )
    limits = "limits" if opening.endswith(": ") else "Limits"
    return (
        f"{opening}{limits} {fmt(segment.lower, unit)} to {fmt(segment.upper, unit)} around "
        f"{_centre(segment.centre, unit, rare)}, fitted on {fitted_words(segment)}{trial}."
    )


def _assurance_sentence(reading: control.Reading, measure: Measure) -> str:
    latest = reading.latest
    if reading.assurance == spc.NOT_APPLICABLE and missing(reading.target):
        return f"{ASSURANCE_TEXT[spc.NOT_APPLICABLE]}."
    if reading.assurance == spc.NOT_APPLICABLE:
        mean = _centre(reading.target, measure.unit, reading.kind == control.RARE)
        return (
            "Assurance does not apply: the target is only to do better than the baseline year "
            f"(a monthly mean of {mean}), a level the process runs at by definition, so the "
            "limits cannot say whether it will be met; the chance of meeting the target does."
        )
    if reading.assurance == Assurance.NONE or latest is None:
        return ASSURANCE_TEXT[Assurance.NONE] + "."
    places: dict[str, str] = {
        Assurance.HIT_AND_MISS: "lies within the latest limits",
        Assurance.PASS: "lies outside the latest limits, on the side the process passes",
        Assurance.FAIL: "lies outside the latest limits, on the side the process fails",
    }
    where = places[reading.assurance]
    return (
        f"{ASSURANCE_TEXT[reading.assurance]}: the target's monthly equivalent, "
        f"{fmt(reading.target, measure.unit)}, {where} "
        f"({fmt(latest.lower, measure.unit)} to {fmt(latest.upper, measure.unit)})."
    )


def point_label(point_type: str) -> str:
    labels: dict[str, str] = {
        PointType.COMMON_CAUSE: "common cause",
        PointType.IMPROVEMENT: "special cause: improvement",
        PointType.CONCERN: "special cause: concern",
        PointType.NEUTRAL: "special cause",
        control.PROVISIONAL: "provisional",
        control.EXCEPTIONAL: "exceptional period: not judged",
    }
    return labels[point_type]


CANDIDATE_KIND = {fitting.SHIFT: "a sustained shift", fitting.TREND: "a trend"}
CANDIDATES_TITLE = "Candidate recalculation points (for analysts)"
CANDIDATES_ADVICE = (
    "A sustained shift may mean the process has changed. If a known change explains it (a new "
    "operation, a change in recording), add a recalculation point with its reason to "
    "config/signals.toml; otherwise the limits stand. Nothing is applied by itself."
)


def candidate_text(candidate: fitting.Candidate) -> str:
    """One candidate recalculation point in words."""
    when, kind, seen = candidate
    return f"{month(when)}: {seen} ({CANDIDATE_KIND[kind]})"


def candidates_note(reading: control.Reading) -> str:
    """The candidate recalculation points of a chart as a list, with the advice ("" when
    there are none)."""
    if not reading.candidates:
        return ""
    lines = "".join(f"\n- {candidate_text(c)}" for c in reading.candidates)
    return f"**{CANDIDATES_TITLE}.** {CANDIDATES_ADVICE}{lines}"


def candidates_table(frame, catalogue) -> pd.DataFrame:
    """`views.reads.candidates` as shown: one row per candidate recalculation point."""
    return pd.DataFrame(
        {
            "Measure": [catalogue.measure(c).short_title for c in frame["measure"]],
            "Area": list(frame["area"]),
            "From": [month(when) for when in frame["month"]],
            "What was seen": [
                f"{seen} ({CANDIDATE_KIND[kind]})"
                for kind, seen in zip(frame["kind"], frame["seen"], strict=True)
            ],
        }
    )
