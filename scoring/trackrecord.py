"""The forecast's track record over the loaded data: `metrics.backtest` run on the store's
monthly figures of every measure and area with enough history (`manage.py backtest`).

Each area's monthly figures (`db.queries.monthly_values`) are backtested as the scorecard
forecasts them: the measure's aggregation, unit, good direction and small-number model, and
the months configuration marks as no fair basis for model fitting (`excluded_months`). A
series with fewer than 24 months before its first origin, or no window with the year before
it, adds no trials.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from config.loader import Catalogue
from config.vocabulary import Level
from db import trackrecord as stored
from db.engine import read_scope, session_scope
from db.queries import LEVELS, monthly_values
from metrics import backtest as bt
from metrics import fitting, scorecard

KEY_COLUMNS = ["measure", "level", "area"]
COLUMNS = KEY_COLUMNS + bt.TRIAL_COLUMNS
# What the stored track record covers (kept within about a minute on the demonstration data):
# the force and its divisions, a window every 12 months back from the latest month.
RECORD_LEVELS = (Level.FORCE, Level.DIVISION)
RECORD_STEP = 12


def summary_rows(trials: pd.DataFrame, codes: Iterable[str]) -> list[dict]:
    """One row per measure of `codes` (in that order): forecasts, chances stated, Brier score
    and climatology's, and `detail` JSON of the reliability table and coverage by band."""
    rows = []
    for code in codes:
        mine = trials[trials["measure"] == code] if not trials.empty else trials
        detail = {
            "reliability": bt.reliability(mine).to_dict("records"),
            "coverage": bt.coverage(mine).to_dict("records"),
        }
        rows.append(
            {
                "measure": code,
                "forecasts": len(mine),
                "stated": len(bt.judged(mine)),
                "brier": bt.brier(mine),
                "climatology": bt.climatology_brier(mine),
                "detail": json.dumps(detail, default=_plain),
            }
        )
    return rows


def _plain(value):
    return None if pd.isna(value) else float(value)


def refresh_track_record(*, engine: Engine, catalogue: Catalogue, version: str) -> bool:
    """Backtest the store (RECORD_LEVELS, every RECORD_STEP months) and store the track record
    for `version`, unless it is already stored for it. True when it was computed."""
    with read_scope(engine) as session:
        if stored.track_record_version(session=session) == version:
            return False
        trials = store_trials(
            session=session, catalogue=catalogue, levels=RECORD_LEVELS, step=RECORD_STEP
        )
    rows = summary_rows(trials, catalogue.measure_by_code)
    with session_scope(engine) as session:
        stored.write_track_record(session=session, version=version, rows=rows, at=datetime.now())
    return True


def excluded_months(catalogue: Catalogue, code: str, area: str) -> tuple[pd.Timestamp, ...]:
    """Months of `code` in `area` that are no fair basis for model fitting: its exceptional
    periods (config/signals.toml), as the scores leave them out."""
    return fitting.months_of(scorecard.exceptional_periods(catalogue, code, area))


def store_trials(
    *,
    session,
    catalogue: Catalogue,
    measures: Iterable[str] | None = None,
    levels: Iterable[str] = LEVELS,
    step: int = 1,
) -> pd.DataFrame:
    """One row per trial (COLUMNS) for every measure and area at `levels`, with windows ending
    every `step` months back from the latest."""
    codes = list(measures) if measures else list(catalogue.measure_by_code)
    parts = []
    for level in levels:
        values = monthly_values(session=session, level=level, measures=codes)
        for (code, area), frame in values.groupby(["measure", "area"], sort=False):
            measure = catalogue.measure_by_code[code]
            trials = bt.backtest(
                frame[["month", "value", "numerator", "denominator"]],
                aggregation=measure.aggregation,
                unit=measure.unit,
                good_direction=measure.good_direction,
                small_numbers=measure.small_numbers,
                excluded=excluded_months(catalogue, code, area),
                step=step,
            )
            if not trials.empty:
                parts.append(trials.assign(measure=code, level=level, area=area))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    order = {code: rank for rank, code in enumerate(catalogue.measure_by_code)}
    table = pd.concat(parts, ignore_index=True)[COLUMNS]
    return table.sort_values(
        ["measure", "level", "area", "window_end", "horizon"],
        key=lambda column: column.map(order) if column.name == "measure" else column,
        kind="stable",
    ).reset_index(drop=True)
