"""Words and rules every layer shares: the breakdown of a total, the area of unallocated rows,
and the one way a percentage is computed."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

TOTAL = "total"  # the `breakdown` of an observation that is the measure's total
UNALLOCATED = "unallocated"  # force-level area of rows with no location or outside the districts


def ratio_percent(numerator, denominator):
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


def publication_code(month) -> int:
    """A publication month as the YYYYMM number stored in `load_facts.count`."""
    return month.year * 100 + month.month


def publication_month(code) -> pd.Timestamp:
    """The first day of the publication month stored as YYYYMM (NaT for none)."""
    if code is None or pd.isna(code):
        return pd.NaT
    return pd.Timestamp(year=int(code) // 100, month=int(code) % 100, day=1)
