"""What the demonstration dataset is built from: published figures, and labelled assumptions.

PUBLISHED figures come from the source documents (see README "Sources") and are reproduced
exactly. Everything marked ASSUMPTION is invented to look like a real force (seasonality,
district differences, trends after the plan) and must never be presented as real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

FIRST_MONTH = "2022-04"
LAST_MONTH = "2026-10"
HOUR_WEEKDAY_FILE = (
    Path(__file__).resolve().parent / "published" / "asb_hour_weekday_oct2024_sep2025.csv"
)
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# PUBLISHED (ASB Action Plan, "Lancashire Context"): change on the previous 12 months.
DIVISION_CHANGE_PCT = {"East": 9.2, "South": 4.4, "West": 6.7}

# The 12-month windows the ASB incidents are generated in. The baseline window reproduces the
# plan's tables cell for cell; the one before it reproduces the plan's divisional changes.
BASELINE = ("2024-10-01", "2025-09-30")
PREVIOUS = ("2023-10-01", "2024-09-30")
ASB_WINDOWS = [("2022-04-01", "2023-09-30"), PREVIOUS, BASELINE, ("2025-10-01", "2026-10-31")]

# District ASB totals in the baseline year. PUBLISHED shares: Blackpool 16.1%, Preston 12.9%,
# Blackburn with Darwen 10.4% of 54,064; the plan names Burnley and Lancaster as the next
# hotspots. The other figures are ASSUMPTIONS that add up to the published divisional totals.
BASELINE_DISTRICT_ASB = {
    "Blackburn with Darwen": 5623,
    "Burnley": 4350,
    "Hyndburn": 3050,
    "Pendle": 3000,
    "Ribble Valley": 1250,
    "Rossendale": 2288,
    "Chorley": 3010,
    "Preston": 6974,
    "South Ribble": 2800,
    "West Lancashire": 3170,
    "Blackpool": 8704,
    "Fylde": 2295,
    "Lancaster": 4300,
    "Wyre": 3250,
}

# ASSUMPTION: the shape of ASB over time relative to the baseline year (piecewise linear, by
# date): higher in 2022, falling through 2023 (the OPCC reports 8% fewer incidents in 2023),
# rising to the baseline year, then the plan's effect differs by division.
ASB_TREND_ANCHORS = {
    "2022-04-01": 1.08,
    "2023-04-01": 0.99,
    "2023-10-01": 0.92,
    "2024-10-01": 0.96,
    "2025-04-01": 1.03,
    "2025-10-01": 1.01,
}
ASB_TREND_END = {"East": 0.90, "South": 0.98, "West": 1.04}  # at 2026-10-31
# ASSUMPTION: district drift after the baseline year on top of the divisional trend.
ASB_DISTRICT_DRIFT = {"Blackpool": 1.06, "Burnley": 0.93, "Preston": 0.97, "Wyre": 1.05}

# ASSUMPTION: month-of-year factors (January first). ASB peaks in summer and around Halloween.
SEASON = {
    "asb": [0.86, 0.84, 0.93, 0.99, 1.06, 1.09, 1.14, 1.12, 1.01, 1.05, 0.99, 0.92],
    "vehicle": [0.55, 0.6, 0.8, 1.0, 1.3, 1.45, 1.5, 1.4, 1.1, 0.9, 0.7, 0.6],
    "retail": [0.95, 0.92, 1.0, 0.98, 1.0, 0.97, 1.0, 1.0, 0.97, 1.02, 1.06, 1.13],
    "patrol": [0.9, 0.9, 0.95, 1.0, 1.05, 1.1, 1.12, 1.1, 1.0, 1.0, 0.95, 0.93],
    "flat": [1.0] * 12,
}
COASTAL = {"Blackpool", "Fylde", "Wyre", "Lancaster"}  # summer visitors amplify seasonality

# ASSUMPTION: incident attributes (shares of all ASB incidents).
CATEGORIES = {"personal": 0.22, "nuisance": 0.72, "environmental": 0.06}
CHANNELS = {
    "101": 0.42,
    "999": 0.18,
    "Online report": 0.27,
    "LancsTacklingASB.co.uk": 0.06,
    "Partner referral": 0.07,
}
VEHICLE_SHARE = 0.055
VEHICLE_DISTRICTS = {
    "Burnley": 1.5,
    "Pendle": 1.3,
    "Rossendale": 1.4,
    "Blackburn with Darwen": 1.3,
    "Blackpool": 1.2,
    "Ribble Valley": 0.8,
    "Fylde": 0.8,
}
REPEAT_VICTIM_SHARE = 0.17
VULNERABLE_VICTIM_SHARE = 0.11

# ASSUMPTION: district weights for measures not counted from incidents.
RETAIL_WEIGHT = {
    "Blackburn with Darwen": 1.2,
    "Burnley": 0.85,
    "Hyndburn": 0.6,
    "Pendle": 0.55,
    "Ribble Valley": 0.3,
    "Rossendale": 0.4,
    "Chorley": 0.7,
    "Preston": 1.5,
    "South Ribble": 0.75,
    "West Lancashire": 0.6,
    "Blackpool": 1.45,
    "Fylde": 0.45,
    "Lancaster": 0.95,
    "Wyre": 0.55,
}


@dataclass(frozen=True)
class CountSpec:
    """How one count measure is generated: totals per window (PUBLISHED where noted),
    spread over months, districts and breakdown categories by weights."""

    windows: list[tuple[str, str, int]]  # (first month, last month, force total)
    season: str
    districts: str  # "asb", "retail" or "even"
    breakdown: dict[str, float] = field(default_factory=dict)


COUNT_SPECS: dict[str, CountSpec] = {
    # PUBLISHED: 27,633 additional hotspot patrol hours, July 2023 - March 2024 (OPCC).
    "hotspot_patrol_hours": CountSpec(
        [
            ("2022-04", "2023-06", 17_400),
            ("2023-07", "2024-03", 27_633),
            ("2024-04", "2025-03", 38_900),
            ("2025-04", "2026-03", 41_200),
            ("2026-04", "2026-10", 25_800),
        ],
        "patrol",
        "even",
    ),
    # PUBLISHED: over 200 civil orders in 2023-24 (OPCC).
    "civil_orders": CountSpec(
        [
            ("2022-04", "2023-03", 176),
            ("2023-04", "2024-03", 214),
            ("2024-04", "2025-03", 236),
            ("2025-04", "2026-03", 262),
            ("2026-04", "2026-10", 168),
        ],
        "flat",
        "asb",
        {
            "Community Protection Warning": 0.34,
            "Community Protection Notice": 0.18,
            "Public Spaces Protection Order": 0.06,
            "Closure order": 0.09,
            "Civil injunction": 0.08,
            "Criminal Behaviour Order": 0.07,
            "Respect Order": 0.0,
            "Dispersal direction": 0.18,
        },
    ),
    "ebike_fatal_collisions": CountSpec(
        [
            ("2022-04", "2023-03", 3),
            ("2023-04", "2024-03", 5),
            ("2024-04", "2025-03", 6),
            ("2025-04", "2026-03", 4),
            ("2026-04", "2026-10", 2),
        ],
        "vehicle",
        "asb",
    ),
    # PUBLISHED: 287 quads, e-bikes, e-scooters and motorcycles seized in 2023-24 (OPCC).
    "vehicles_seized": CountSpec(
        [
            ("2022-04", "2023-03", 198),
            ("2023-04", "2024-03", 287),
            ("2024-04", "2025-03", 334),
            ("2025-04", "2026-03", 371),
            ("2026-04", "2026-10", 240),
        ],
        "vehicle",
        "asb",
        {"Off-road motorcycle": 0.45, "E-bike": 0.2, "E-scooter": 0.25, "Quad bike": 0.1},
    ),
    # PUBLISHED: 9,123 shoplifting crimes in 2022-23 (OPCC).
    "shoplifting_recorded": CountSpec(
        [
            ("2022-04", "2023-03", 9_123),
            ("2023-04", "2024-03", 10_870),
            ("2024-04", "2025-03", 12_480),
            ("2025-04", "2026-03", 12_910),
            ("2026-04", "2026-10", 7_300),
        ],
        "retail",
        "retail",
    ),
    "prolific_offender_cbos": CountSpec(
        [
            ("2022-04", "2023-03", 28),
            ("2023-04", "2024-03", 41),
            ("2024-04", "2025-03", 55),
            ("2025-04", "2026-03", 64),
            ("2026-04", "2026-10", 40),
        ],
        "flat",
        "retail",
    ),
    "enforcement_actions": CountSpec(
        [
            ("2022-04", "2023-03", 2_600),
            ("2023-04", "2024-03", 3_300),
            ("2024-04", "2025-03", 3_700),
            ("2025-04", "2026-03", 4_050),
            ("2026-04", "2026-10", 2_450),
        ],
        "retail",
        "retail",
        {"Arrest": 0.72, "Warning": 0.28},
    ),
}

# ASSUMPTION: survey sizes (respondents per month, force-wide) and agreement rates, which
# move after the baseline year by division.
SURVEYS = {
    "public_confidence": {
        "respondents": 420,
        "rate": 0.71,
        "change": {"East": 0.04, "South": 0.0, "West": -0.02},
    },
    "victim_satisfaction": {
        "respondents": 140,
        "rate": 0.78,
        "change": {"East": 0.02, "South": 0.03, "West": -0.01},
    },
}
# ASSUMPTION: share of shoplifting crimes with a positive outcome, rising with Op Vulture, and
# how much of the final figure the three latest months show (outcomes arrive late).
POSITIVE_RATE = {"2022-04": 0.14, "2023-10": 0.17, "2025-10": 0.21, "2026-10": 0.22}
OUTCOME_LAG = [0.55, 0.75, 0.9]  # latest month first
CASE_REVIEWS = {"requests_per_month": 15.0, "timely": {"2022-04": 0.78, "2026-10": 0.88}}


def months() -> pd.DatetimeIndex:
    """Every month of the demonstration dataset (first days)."""
    return pd.date_range(FIRST_MONTH + "-01", LAST_MONTH + "-01", freq="MS")


def hour_weekday_table() -> pd.DataFrame:
    """PUBLISHED: ASB incidents by hour and weekday per division, October 2024 - September 2025."""
    return pd.read_csv(HOUR_WEEKDAY_FILE)


def interpolate(anchors: dict[str, float], dates: pd.DatetimeIndex) -> np.ndarray:
    """Piecewise-linear values between dated anchors, flat beyond the ends."""
    x = pd.DatetimeIndex(pd.to_datetime(list(anchors))).as_unit("ns").asi8
    y = np.array(list(anchors.values()))
    return np.interp(pd.DatetimeIndex(dates).as_unit("ns").asi8, x, y)
