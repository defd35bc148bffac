"""Incident-level demonstration ASB records (pure numpy/pandas; nothing is written here).

For each division and each window of `profile.ASB_WINDOWS`:

1. the hour x weekday cells: in the baseline year exactly the plan's published table; in other
   windows a multinomial draw from the same pattern, the total set by the trend;
2. the incidents are split between districts with exact district totals (published shares in
   the baseline year), so both the cell and the district totals hold at once;
3. each incident gets a date with its weekday, weighted by season and trend, and a random minute;
4. attributes (category, vehicle, repeat and vulnerable flags, channel) are drawn per incident.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from config import Catalogue
from demo import profile as p
from ingest.incident_batch import RECORD_COLUMNS


def _trend(division: str, dates: pd.DatetimeIndex) -> np.ndarray:
    anchors = dict(p.ASB_TREND_ANCHORS) | {"2026-10-31": p.ASB_TREND_END[division]}
    return p.interpolate(anchors, dates)


def _season(district: str, dates: pd.DatetimeIndex) -> np.ndarray:
    factors = np.array(p.SEASON["asb"])[dates.month - 1]
    return factors**1.6 if district in p.COASTAL else factors


def _daily_weight(division: str, district: str, dates: pd.DatetimeIndex) -> np.ndarray:
    drift = np.where(
        dates >= pd.Timestamp(p.BASELINE[1]), p.ASB_DISTRICT_DRIFT.get(district, 1.0), 1.0
    )
    after = np.clip(np.asarray((dates - pd.Timestamp(p.BASELINE[1])).days) / 395, 0, 1)
    return _season(district, dates) * _trend(division, dates) * (1 + (drift - 1) * after)


def _window_total(
    division: str, districts: list[str], window: tuple[str, str], baseline_total: int
) -> int:
    """Totals outside the published years follow the trend relative to the baseline year."""
    if window == p.BASELINE:
        return baseline_total
    if window == p.PREVIOUS:
        return round(baseline_total / (1 + p.DIVISION_CHANGE_PCT[division] / 100))
    base = pd.date_range(*p.BASELINE, freq="D")
    dates = pd.date_range(*window, freq="D")
    ratio = sum(
        _daily_weight(division, d, dates).sum() * p.BASELINE_DISTRICT_ASB[d] for d in districts
    ) / sum(_daily_weight(division, d, base).sum() * p.BASELINE_DISTRICT_ASB[d] for d in districts)
    return round(baseline_total * ratio)


def _district_totals(
    districts: list[str], window: tuple[str, str], total: int, rng: np.random.Generator
) -> np.ndarray:
    shares = np.array([p.BASELINE_DISTRICT_ASB[d] for d in districts], dtype=float)
    if window == p.BASELINE:
        return shares.astype(int)
    if window[0] > p.BASELINE[0]:
        shares *= [p.ASB_DISTRICT_DRIFT.get(d, 1.0) for d in districts]
    return rng.multinomial(total, shares / shares.sum())


def _division_incidents(
    division: str,
    districts: list[str],
    cells: np.ndarray,
    window: tuple[str, str],
    rng: np.random.Generator,
) -> pd.DataFrame:
    baseline_total = int(cells.sum())
    total = _window_total(division, districts, window, baseline_total)
    if window != p.BASELINE:
        cells = rng.multinomial(total, (cells / cells.sum()).ravel()).reshape(cells.shape)
    hours, weekdays = np.nonzero(cells)
    counts = cells[hours, weekdays]
    hour = np.repeat(hours, counts)
    weekday = np.repeat(weekdays, counts)
    order = rng.permutation(total)
    hour, weekday = hour[order], weekday[order]
    district_totals = _district_totals(districts, window, total, rng)
    district_index = np.repeat(np.arange(len(districts)), district_totals)

    dates = pd.date_range(*window, freq="D")
    day = np.empty(total, dtype="datetime64[ns]")
    for k, district in enumerate(districts):
        weights = _daily_weight(division, district, dates)
        for w in range(7):
            mask = (district_index == k) & (weekday == w)
            pool = dates.day_of_week == w
            chance = weights[pool] / weights[pool].sum()
            day[mask] = rng.choice(dates[pool].values, size=int(mask.sum()), p=chance)
    minutes = rng.integers(0, 60, total)
    occurred = pd.to_datetime(day) + pd.to_timedelta(hour * 60 + minutes, unit="min")
    return pd.DataFrame(
        {
            "district": np.array(districts)[district_index],
            "occurred_at": occurred,
            "hour": hour,
            "weekday": weekday,
        }
    )


def _attributes(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(frame)
    when = pd.DatetimeIndex(frame["occurred_at"])
    frame["category"] = rng.choice(list(p.CATEGORIES), n, p=list(p.CATEGORIES.values()))
    frame["channel"] = rng.choice(list(p.CHANNELS), n, p=list(p.CHANNELS.values()))
    season = np.array(p.SEASON["vehicle"])[when.month - 1]
    local = frame["district"].map(lambda d: p.VEHICLE_DISTRICTS.get(d, 1.0)).to_numpy()
    # ASSUMPTION: Centurion On Wheels cuts vehicle ASB by a fifth over the year after the baseline.
    effect = 1 - 0.2 * np.clip(np.asarray((when - pd.Timestamp(p.BASELINE[1])).days) / 395, 0, 1)
    frame["vehicle_involved"] = rng.random(n) < p.VEHICLE_SHARE * season * local * effect
    frame["repeat_victim"] = rng.random(n) < p.REPEAT_VICTIM_SHARE
    frame["vulnerable_victim"] = rng.random(n) < p.VULNERABLE_VICTIM_SHARE
    return frame


def pseudonymous_references(seed: int, n: int) -> list[str]:
    """Stable, non-identifying references: a keyed hash of the seed and the row number."""
    key = f"demo-{seed}".encode()
    return [
        "ASB-" + hashlib.blake2b(str(i).encode(), key=key, digest_size=6).hexdigest().upper()
        for i in range(n)
    ]


def generate_incidents(catalogue: Catalogue, seed: int) -> pd.DataFrame:
    """Every demonstration ASB incident, April 2022 - October 2026, sorted by time.

    Columns: reference, occurred_at, month, hour, weekday (0 = Monday), district_code,
    lsoa_code (empty: the demo does not invent LSOAs), category, vehicle_involved,
    repeat_victim, vulnerable_victim, channel.
    """
    rng = np.random.default_rng(seed)
    table = p.hour_weekday_table()
    geo = catalogue.geography
    parts = []
    for window in p.ASB_WINDOWS:
        for division in geo.division:
            cells = table[table["division"] == division.name].sort_values("hour")[p.WEEKDAYS]
            parts.append(
                _division_incidents(
                    division.name, division.districts, cells.to_numpy(), window, rng
                )
            )
    frame = pd.concat(parts, ignore_index=True).sort_values("occurred_at", kind="stable")
    frame = _attributes(frame.reset_index(drop=True), rng)
    codes = {d.name: d.ons_code for d in geo.district}
    frame["district_code"] = frame.pop("district").map(codes)
    frame["month"] = frame["occurred_at"].dt.to_period("M").dt.to_timestamp().dt.date
    frame["lsoa_code"] = None
    frame["reference"] = pseudonymous_references(seed, len(frame))
    return frame[list(RECORD_COLUMNS)]
