"""Small-number suppression for public outputs.

Counts from 1 up to (but not including) the threshold (default 5) are shown as "fewer than 5",
so that nobody can be identified from a small figure. Zero is shown, since it discloses no one.
"""

from __future__ import annotations

import pandas as pd

DEFAULT_THRESHOLD = 5


def suppress(value: float | None, *, threshold: int = DEFAULT_THRESHOLD) -> str:
    """The public text of a count."""
    if value is None or pd.isna(value):
        return ""
    if 0 < value < threshold:
        return f"fewer than {threshold}"
    return f"{value:,.0f}"


def suppress_series(values: pd.Series, *, threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    return values.map(lambda v: suppress(v, threshold=threshold))
