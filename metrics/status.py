"""Status of a measure in an area at a month: the words the board reads first.

The rolling 12 months are compared with the trajectory to the March 2027 target, and
statistical process control (see SPC) says whether the latest month shows a real change.
The rules, in order:

1. **Insufficient data**: there is no rolling 12-month figure (fewer than 12 months of data to
   that month) or no baseline figure.
2. Once the 12 months ending March 2027 are complete: **achieved** if they met the target,
   otherwise **off track**.
3. **Achieved**: the rolling 12 months already meet the March 2027 target and SPC shows a real
   improvement at the latest month.
4. **On track**: the rolling 12 months are level with or better than the trajectory.
5. **Off track**: behind the trajectory by more than the tolerance (2% of the trajectory) and SPC
   shows a real deterioration (a special cause of concern) at the latest month.
6. **At risk**: behind the trajectory otherwise: by no more than the tolerance, or by more but
   with only common-cause variation, so the shortfall is not yet shown to be real.

"Better" follows the measure's good direction. For a directional target (better than the
baseline) the trajectory stays level with the baseline.
"""

from __future__ import annotations

import numpy as np

from metrics.targets import meets

STATUSES = ("off track", "at risk", "on track", "achieved", "insufficient data")
STATUS_ICONS = {
    "off track": "✖",
    "at risk": "▲",
    "on track": "●",
    "achieved": "★",
    "insufficient data": "?",
}
TOLERANCE = 0.02


def classify(
    *,
    rolling: float,
    baseline: float,
    target: float,
    trajectory: float,
    good_direction: str,
    directional: bool,
    variation: str,
    target_year_complete: bool,
    tolerance: float = TOLERANCE,
) -> str:
    """The status word for one measure, area and month (rules in the module docstring)."""
    if any(np.isnan(x) for x in (rolling, baseline, target, trajectory)):
        return "insufficient data"
    met = meets(rolling, target, good_direction=good_direction, directional=directional)
    if target_year_complete:
        return "achieved" if met else "off track"
    if met and variation.startswith("improvement"):
        return "achieved"
    sign = 1 if good_direction == "increase" else -1
    gap = sign * (rolling - trajectory)
    if gap >= 0:
        return "on track"
    material = abs(gap) > tolerance * abs(trajectory)
    if material and variation.startswith("concern"):
        return "off track"
    return "at risk"
