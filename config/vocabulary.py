"""Words and rules every layer shares: the domain's words as `StrEnum`s, the breakdown of a total,
the area of unallocated rows, and the one way a percentage is computed.

Every enum's values are exactly the strings stored in the database, written in the TOML files,
carried in URLs and CSVs and shown in wording, so a member compares equal to its string
(`Level.DISTRICT == "district"`) and formats as it (`f"{Level.DISTRICT}"` is "district"). Code
names the word by its member; the string stays the one on disk and on screen.

"Kind" has four meanings here, each with its own enum: the kind of *target* (`TargetKind`), the
kind of *source* a measure's figures come from (`FileKind`), the *layout* of one file within a
source (`FileLayout`: a police.uk archive holds street and outcomes files), and the kind of
*chart* an SPC reading is (`ChartKind`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

TOTAL = "total"  # the `breakdown` of an observation that is the measure's total
UNALLOCATED = "unallocated"  # force-level area of rows with no location or outside the districts


def ratio_percent(numerator: Any, denominator: Any) -> Any:
    """100 x numerator / denominator, for numbers, arrays or Series alike: the one rule for a
    percentage everywhere. A zero (or missing) denominator gives a missing value, never 0."""
    if isinstance(denominator, pd.Series):
        return 100 * numerator / denominator.where(denominator != 0)
    if isinstance(denominator, np.ndarray):
        safe = np.where(denominator != 0, denominator, np.nan)
        return 100 * np.asarray(numerator, dtype=float) / safe
    if denominator is None or not denominator or np.isnan(denominator):
        return float("nan")
    result = 100 * numerator / denominator
    return float(result) if np.ndim(result) == 0 else result


class Level(StrEnum):
    """The levels of area a figure is for: the force, one of its divisions, one district."""

    FORCE = "force"
    DIVISION = "division"
    DISTRICT = "district"


class Unit(StrEnum):
    """What a measure's figures count."""

    COUNT = "count"
    HOURS = "hours"
    PERCENT = "percent"


class Direction(StrEnum):
    """A measure's good direction (`good_direction` in measures.toml)."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Improvement(StrEnum):
    """The direction an SPC chart reads as improvement: a measure's good direction, or neither
    (`NEUTRAL`: special causes are neither good nor bad)."""

    INCREASE = Direction.INCREASE.value
    DECREASE = Direction.DECREASE.value
    NEUTRAL = "neutral"


class Aggregation(StrEnum):
    """How a measure's figures combine across areas and months."""

    SUM = "sum"  # counts add up
    RATIO = "ratio"  # numerators and denominators add up, then divide
    SURVEY = "survey"  # survey responses pooled


class TargetKind(StrEnum):
    """The kind of target (targets.toml `kind`)."""

    ABSOLUTE = "absolute"  # a figure to reach
    PERCENT_CHANGE = "percent_change"  # a change from the baseline, in percent
    DIRECTIONAL = "directional"  # better than the baseline


class FileKind(StrEnum):
    """The kind of source a measure's figures are loaded from (a measure's `sources`, and
    `loads.source` of a file): force incident extracts, police.uk open data, analysts' monthly
    returns. (Generated demonstration data have the source "demo", which is not a file.)"""

    INCIDENTS = "incidents"
    POLICEUK = "policeuk"
    RETURNS = "returns"


class FileLayout(StrEnum):
    """The layout of one file, recognised from its header (`ingest` kinds' `name`, stored as
    `loads.kind`): a police.uk source has two."""

    POLICEUK_STREET = "policeuk-street"
    POLICEUK_OUTCOMES = "policeuk-outcomes"
    INCIDENTS = "incidents"
    RETURNS = "returns"


class ChartKind(StrEnum):
    """The kind of SPC chart a reading is drawn as (`metrics.control.Reading.kind`)."""

    XMR = "xmr"  # an XmR chart (metrics.spc.xmr)
    RUN = "run"  # a run chart: too few points for limits (metrics.spc.run_chart)
    RARE = "rare"  # a c chart with exact Poisson limits, for rare events (metrics.rare)
    NONE = "none"  # no chart: no mature point


class PointType(StrEnum):
    """What one point on an SPC chart is (the `point_type` column)."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"  # a special cause in the good direction
    CONCERN = "concern"  # a special cause in the bad direction
    NEUTRAL = "neutral"  # a special cause on a chart with no good direction
    PROVISIONAL = "provisional"  # a month not yet mature: drawn, not judged
    EXCEPTIONAL = "exceptional"  # a month in an exceptional period: drawn, not judged


class Variation(StrEnum):
    """The Making Data Count variation icon of a chart's latest point: common cause, or the
    special cause's point type and side (`<type>_<high|low>`); NONE for an empty chart."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"
    NONE = "none"


class Assurance(StrEnum):
    """The Making Data Count assurance icon: will the process meet its target?"""

    PASS = "pass"  # the target is beyond the limits on the bad side: every month meets it
    FAIL = "fail"  # the target is beyond the limits on the good side: no month will
    HIT_AND_MISS = "hit_and_miss"  # the target is inside the limits or on one
    NONE = "none"  # no target, no good direction or no limits
    NOT_APPLICABLE = "not_applicable"  # a directional target (see metrics.control)


class Status(StrEnum):
    """The status words, in the order the board reads exceptions (worst first)."""

    MISSED = "missed"
    OFF_TRACK = "off track"
    AT_RISK = "at risk"
    ON_TRACK = "on track"
    ACHIEVED = "achieved"
    INSUFFICIENT = "insufficient data"


class QualityFact(StrEnum):
    """What a police.uk file says about the quality of a month of data (`load_facts.fact`)."""

    ROWS = "rows"
    KEPT = "rows_kept"  # rows of a crime type some measure counts, stored
    NO_LOCATION = "no_location"  # no usable LSOA code (UNRECOGNISED_CODE rows included)
    OUTSIDE = "outside_districts"
    REPEATED = "repeated_crime_ids"
    UNRECOGNISED_CODE = "unrecognised_codes"
    LSOA_2011 = "lsoa_2011"
    LSOA_2021 = "lsoa_2021"
    OUTCOME_ROWS = "outcome_rows"
    OTHER_FORCES = "other_force_files"
    # the police.uk publication the month's file came from, as YYYYMM (202404: the archive
    # or download whose newest month is April 2024); `publication_code` / `publication_month`
    PUBLISHED = "published"


def publication_code(month: date) -> int:
    """A publication month as the YYYYMM number stored in `load_facts.count`."""
    return int(month.year * 100 + month.month)


def publication_month(code: float | None) -> pd.Timestamp:
    """The first day of the publication month stored as YYYYMM (NaT for none)."""
    if code is None or pd.isna(code):
        return pd.NaT
    return pd.Timestamp(year=int(code) // 100, month=int(code) % 100, day=1)
