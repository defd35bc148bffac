"""Status of a measure in an area at a month: one rule, applied identically to every measure,
area and month.

The status is driven by the **chance that the 12 months ending March 2027 meet the target**
(from the forecast, see `metrics.forecast`; small-number measures from a count model):

1. **Achieved** or **missed**: only once the whole target year is in the data (and mature):
   whether those 12 months met the target.
2. **Insufficient data**: no chance can be computed (no complete baseline year, a latest 12
   months with a month missing or provisional, or too few months).
The chance is taken in whole percent, as it is shown, so the word and the figure beside it
always agree.

3. **On track**: a chance of at least 75% (`on_track` in `config/signals.toml`).
4. **Off track**: a chance below 25% (`off_track`).
5. **At risk**: in between.

Provisional months (not yet mature) are left out: the status is judged at the latest mature
month. SPC variation is a separate signal: it says whether the latest month shows a real
change, not whether the target will be met.
"""

from __future__ import annotations

import math

from config.models import Status
from config.signals import StatusThresholds

STATUSES = tuple(Status)
EXCEPTION_ORDER = {word: rank for rank, word in enumerate(Status)}


def classify(
    *,
    probability: float,
    target_year_complete: bool,
    met: bool | None,
    thresholds: StatusThresholds,
) -> Status:
    """The status word for one measure, area and month (rules in the module docstring).
    `met` is whether the target year met the target (None when it has no figure)."""
    if target_year_complete:
        if met is None:
            return Status.INSUFFICIENT
        return Status.ACHIEVED if met else Status.MISSED
    if probability is None or math.isnan(probability):
        return Status.INSUFFICIENT
    probability = round(probability, 2)  # the chance as shown, in whole percent
    if probability >= thresholds.on_track:
        return Status.ON_TRACK
    if probability < thresholds.off_track:
        return Status.OFF_TRACK
    return Status.AT_RISK
