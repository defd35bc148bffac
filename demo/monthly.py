"""Monthly demonstration values for the measures not counted from incidents (pure numpy/pandas).

Every function returns rows of `OBSERVATION_COLUMNS` at district level: one `total` row per
measure, district and month (zeros included: a zero is an observation), plus one row per
breakdown category where the measure has a breakdown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from config import Catalogue
from config.vocabulary import TOTAL, ratio_percent
from demo import profile as p

OBSERVATION_COLUMNS = [
    "measure_code",
    "district_code",
    "month",
    "breakdown",
    "value",
    "numerator",
    "denominator",
]


def _district_weights(catalogue: Catalogue, kind: str) -> np.ndarray:
    names = [d.name for d in catalogue.geography.district]
    if kind == "asb":
        return np.array([p.BASELINE_DISTRICT_ASB[n] for n in names], dtype=float)
    if kind == "retail":
        return np.array([p.RETAIL_WEIGHT[n] for n in names])
    return np.ones(len(names))


def _frame(
    code: str,
    catalogue: Catalogue,
    months: pd.DatetimeIndex,
    values: np.ndarray,
    breakdown: str = TOTAL,
    numerator: np.ndarray | None = None,
    denominator: np.ndarray | None = None,
) -> pd.DataFrame:
    """Rows for a (month x district) array of values."""
    codes = [d.ons_code for d in catalogue.geography.district]
    grid = pd.MultiIndex.from_product([months.date, codes], names=["month", "district_code"])
    frame = grid.to_frame(index=False)
    frame["measure_code"] = code
    frame["breakdown"] = breakdown
    frame["value"] = values.ravel().astype(float)
    frame["numerator"] = None if numerator is None else numerator.ravel().astype(float)
    frame["denominator"] = None if denominator is None else denominator.ravel().astype(float)
    return frame[OBSERVATION_COLUMNS]


def count_measure(code: str, catalogue: Catalogue, rng: np.random.Generator) -> pd.DataFrame:
    """Each window's exact total spread over months x districts (x breakdown) by weights."""
    spec = p.COUNT_SPECS[code]
    months = p.months()
    categories = list(spec.breakdown) or [TOTAL]
    shares = np.array(list(spec.breakdown.values()) or [1.0])
    counts = np.zeros((len(months), len(catalogue.geography.district), len(categories)), dtype=int)
    season = np.array(p.SEASON[spec.season])[months.month - 1]
    districts = _district_weights(catalogue, spec.districts)
    for first, last, total in spec.windows:
        rows = (months >= first) & (months <= last)
        weights = np.einsum("m,d,b->mdb", season[rows], districts, shares)
        drawn = rng.multinomial(total, (weights / weights.sum()).ravel())
        counts[rows] = drawn.reshape(weights.shape)
    parts = [_frame(code, catalogue, months, counts.sum(axis=2))]
    if spec.breakdown:
        parts += [
            _frame(code, catalogue, months, counts[:, :, b], category)
            for b, category in enumerate(categories)
        ]
    return pd.concat(parts, ignore_index=True)


def _after_baseline(months: pd.DatetimeIndex) -> np.ndarray:
    return np.clip(np.asarray((months - pd.Timestamp(p.BASELINE[1])).days) / 395, 0, 1)


def survey_measure(code: str, catalogue: Catalogue, rng: np.random.Generator) -> pd.DataFrame:
    """Respondents in proportion to population; agreement moves by division after the baseline."""
    spec = p.SURVEYS[code]
    months = p.months()
    geo = catalogue.geography
    population = np.array([geo.population(d) for d in geo.district], dtype=float)
    respondents = rng.poisson(
        spec["respondents"] * population / population.sum(), (len(months), len(population))
    )
    offset = rng.normal(0, 0.025, len(population))  # settled differences between districts
    change = np.array([spec["change"][d.division] for d in geo.district])
    rate = np.clip(spec["rate"] + offset + np.outer(_after_baseline(months), change), 0.05, 0.95)
    agree = rng.binomial(respondents, rate)
    keep = respondents > 0
    percent = ratio_percent(agree, respondents)
    frame = _frame(code, catalogue, months, percent, numerator=agree, denominator=respondents)
    return frame[keep.ravel()].reset_index(drop=True)


def positive_outcomes(recorded: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Positive outcomes among recorded shoplifting, with recent months not yet complete;
    and the positive outcome rate (a ratio of the two)."""
    totals = recorded[recorded["breakdown"] == TOTAL].reset_index(drop=True)
    months = pd.DatetimeIndex(pd.to_datetime(totals["month"]))
    rate = p.interpolate(p.POSITIVE_RATE, months)
    latest = months.max()
    lag = np.ones(len(months))
    for back, share in enumerate(p.OUTCOME_LAG):
        lag[months == latest - pd.DateOffset(months=back)] = share
    crimes = totals["value"].to_numpy().astype(int)
    positive = rng.binomial(crimes, np.clip(rate * lag, 0, 1))
    counts = totals.assign(
        measure_code="shoplifting_positive_outcomes", value=positive.astype(float)
    )
    ratio = totals.assign(
        measure_code="shoplifting_positive_outcome_rate",
        numerator=positive.astype(float),
        denominator=crimes.astype(float),
        value=ratio_percent(positive, crimes),
    )
    return pd.concat([counts, ratio[crimes > 0]], ignore_index=True)


def case_reviews(catalogue: Catalogue, rng: np.random.Generator) -> pd.DataFrame:
    """ASB Case Review requests (denominator) and those answered on time (numerator)."""
    months = p.months()
    weights = _district_weights(catalogue, "asb")
    requests = rng.poisson(
        p.CASE_REVIEWS["requests_per_month"] * weights / weights.sum(), (len(months), len(weights))
    )
    timely = rng.binomial(requests, p.interpolate(p.CASE_REVIEWS["timely"], months)[:, None])
    keep = requests > 0
    percent = ratio_percent(timely, requests)
    frame = _frame(
        "asb_case_reviews_timely",
        catalogue,
        months,
        percent,
        numerator=timely,
        denominator=requests,
    )
    return frame[keep.ravel()].reset_index(drop=True)


def generate_monthly(catalogue: Catalogue, seed: int) -> pd.DataFrame:
    """All monthly demonstration observations not counted from incidents."""
    rng = np.random.default_rng([seed, 1])
    parts = [count_measure(code, catalogue, rng) for code in p.COUNT_SPECS]
    recorded = next(f for f in parts if f["measure_code"].iat[0] == "shoplifting_recorded")
    parts.append(positive_outcomes(recorded, rng))
    parts += [survey_measure(code, catalogue, rng) for code in p.SURVEYS]
    parts.append(case_reviews(catalogue, rng))
    return pd.concat(parts, ignore_index=True)
