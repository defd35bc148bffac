"""Which scores a store needs and what each depends on: the work list of `scoring`.

A score (`metrics.scorecard.score_in`) of one measure in one area at one month depends only on
that area's monthly rows of the measure up to the month, the force's baseline of the measure
(shared targets), the configuration that applies to the measure and area, and the code of the
calculation. The **input key** is a digest of exactly those; a stored score whose key equals
the key computed from the store's rows now is still right, and is not computed again. So a new
month computes only the new month's scores, a revised month only the months from it on, a
changed target only that measure's scores, and a changed rule in `metrics/` every score.
The code of the calculation is found, not listed (`metrics.calculation`): every first-party
module this module imports, directly or not, by its source, and the installed versions of
numpy, pandas, scipy and statsmodels.

Every measure is scored for every area of the catalogue (270 with 15 measures and 18 areas),
with or without rows: the Overview shows every measure of an area. `has_data` says whether the
area has any row of the measure at all (a league table lists only those areas).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from config.loader import Catalogue
from config.vocabulary import Aggregation, Level
from metrics import codec, scorecard
from metrics.calculation import calculation_key

# `published`: a republished police.uk month changes the key, and so is scored again
VALUE_COLUMNS = ["month", "value", "numerator", "denominator", "published"]


@dataclass(frozen=True)
class Task:
    """The scores of one measure in one area at some months, with the rows they need."""

    measure: str
    level: str
    area: str
    months: tuple[date, ...]
    frame: pd.DataFrame  # the area's monthly rows of the measure (all months)
    force: pd.DataFrame  # the force's monthly rows of the measure (for its baseline)


@dataclass(frozen=True)
class Computed:
    """One score as stored: `text` is `metrics.codec.encode` of it."""

    measure: str
    level: str
    area: str
    as_of: date
    key: str
    has_data: bool
    status: str
    probability: float
    text: str


def calculation_digest() -> str:
    """A digest of the code a score is computed by: every first-party module this module
    reaches by its imports, and the numerical libraries' versions (computed once)."""
    return calculation_key().digest


def configuration_digest(catalogue: Catalogue, measure: str, area: str) -> str:
    """A digest of the configuration a score of `measure` in `area` reads."""
    target, own = scorecard.target_for(catalogue, measure, area)
    recalculations = catalogue.recalculations(measure, area)
    parts = {
        "measure": catalogue.measure(measure).model_dump(mode="json"),
        "target": target.model_dump(mode="json"),
        "own": own,
        "recalculations": [r.model_dump(mode="json") for r in recalculations],
        "exceptional": [e.model_dump(mode="json") for e in catalogue.exceptional(measure, area)],
        "spc": catalogue.signals.spc.model_dump(mode="json"),
        "status": catalogue.signals.status.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def catalogue_digest(catalogue: Catalogue) -> str:
    """A digest of all configuration and calculation: part of the scores' version."""
    parts = {
        field.name: getattr(catalogue, field.name).model_dump(mode="json")
        for field in dataclasses.fields(catalogue)
    }
    text = json.dumps(parts, sort_keys=True) + calculation_digest()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def input_keys(values: pd.DataFrame, *, catalogue: Catalogue, months: list[date]) -> pd.DataFrame:
    """The input key of every measure x area x month in `months`, from `values`: the monthly
    rows of every level (`db.queries.monthly_values`, concatenated). Columns: measure, level,
    area, as_of, key, has_data."""
    rows = []
    force_rows = values[values["level"] == Level.FORCE]
    hashed = values.reindex(columns=VALUE_COLUMNS)
    hashes = pd.util.hash_pandas_object(hashed, index=False).to_numpy()
    by_area = {
        key: (group["month"].to_numpy(), hashes[group.index.to_numpy()])
        for key, group in values.reset_index(drop=True).groupby(["measure", "area"], sort=False)
    }
    none = (np.array([], dtype=object), np.array([], dtype=np.uint64))
    for measure in catalogue.measures.measure:
        force = force_rows[force_rows["measure"] == measure.code]
        baselines = {m: scorecard.force_baseline(force, measure, m) for m in months}
        # a ratio's months loaded for the force are present in every area (`score_in`)
        loaded = force["month"].to_numpy() if measure.aggregation != Aggregation.SUM else none[0]
        for area in catalogue.area_names():
            month_of, row_hashes = by_area.get((measure.code, area), none)
            config = configuration_digest(catalogue, measure.code, area)
            level = catalogue.area_level(area)
            for month in months:
                mine = row_hashes[month_of <= month] if len(month_of) else row_hashes
                rows.append(
                    {
                        "measure": measure.code,
                        "level": level,
                        "area": area,
                        "as_of": month,
                        "key": _key(config, baselines[month], mine, month, loaded[loaded <= month]),
                        "has_data": len(month_of) > 0,
                    }
                )
    return pd.DataFrame(rows, columns=["measure", "level", "area", "as_of", "key", "has_data"])


def _key(
    config: str,
    force_baseline: float,
    row_hashes: np.ndarray,
    month: date,
    loaded: np.ndarray | tuple[()] = (),
) -> str:
    """A digest of the calculation, the configuration, the month, the force baseline, the
    months a ratio is loaded for (`loaded`) and the area's rows up to the month
    (`row_hashes`, one per row in month order)."""
    months = ",".join(str(m) for m in loaded)
    head = f"{calculation_digest()}|{config}|{month.isoformat()}|{force_baseline!r}|{months}|"
    digest = hashlib.sha256(head.encode())
    digest.update(row_hashes.tobytes())
    return digest.hexdigest()[:32]


def compute(task: Task, catalogue: Catalogue, keys: dict[date, str]) -> list[Computed]:
    """Score `task` at each of its months (the work of one process of `scoring`)."""
    measure = catalogue.measure(task.measure)
    found = []
    for month in task.months:
        score = scorecard.score_in(catalogue, task.frame, task.force, measure, task.area, month)
        found.append(
            Computed(
                measure=task.measure,
                level=task.level,
                area=task.area,
                as_of=month,
                key=keys[month],
                has_data=not task.frame.empty,
                status=str(score.status),
                probability=float(score.probability),
                text=codec.encode(score),
            )
        )
    return found
