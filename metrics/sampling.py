"""Dip-sampling arithmetic: how many cases to review, how they are shared among districts,
which cases a seed draws, and how far the reviewed cases comply, with Wilson intervals
(`metrics.periods.wilson_interval`).

Pure pandas, numpy and scipy: the store gives the population and keeps each draw
(`db.dipsamples`); pages and `manage.py sample` show what these return.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from config.dipsampling import Allocation, Answer
from config.vocabulary import Level, ratio_percent
from metrics.periods import wilson_interval
from metrics.sampledesign import discovery_size

STRATUM = "district_code"  # the column a sample is stratified by
ORDER = ["reference", "occurred_at"]  # how a stratum's rows are ordered before drawing
ANSWER_COLUMNS = {Answer.YES: "yes", Answer.NO: "no", Answer.NOT_APPLICABLE: "not_applicable"}


def sample_size(population: int, *, margin: float, confidence: float) -> int:
    """The discovery rule (`metrics.sampledesign.discovery_size`, in exact arithmetic): the
    fewest cases that would show at least one failure, with `confidence`, if `margin` of the
    population failed. At 95% and 5%: 45 cases of 100, 56 of 500, 57 of 1,000 and 59 of a
    large population."""
    return discovery_size(population, margin=margin, confidence=confidence)


def allocate(volumes: pd.Series, size: int, *, method: Allocation) -> pd.Series:
    """Cases per stratum (`volumes`: the rows each stratum holds), adding up to `size` or to
    every row when there are fewer. Proportional to volume or equal, by largest remainders
    (ties to the stratum listed first); a stratum never gets more than it holds, and what it
    cannot take is shared among the others the same way."""
    volumes = volumes.astype(int)
    given = pd.Series(0, index=volumes.index, dtype=int)
    left = min(int(size), int(volumes.sum()))
    while left > 0:
        open_ = volumes > given
        if method == Allocation.PROPORTIONAL:
            weights = volumes[open_]
        else:
            weights = pd.Series(1, index=volumes.index[open_])
        shares = left * weights / weights.sum()
        whole = np.floor(shares).astype(int)
        rest = left - int(whole.sum())
        order = (shares - whole).sort_values(ascending=False, kind="stable").index[:rest]
        whole[order] += 1
        room = volumes[open_] - given[open_]
        take = whole.clip(upper=room)
        given[open_] += take
        left -= int(take.sum())
    return given


def draw(population: pd.DataFrame, allocation: pd.Series, *, seed: int) -> pd.DataFrame:
    """The cases `seed` draws: from each stratum in sorted order, `allocation[stratum]` rows
    chosen without replacement among its rows ordered by reference and time, by one generator
    seeded with `seed`. The same population, allocation and seed give the same cases on any
    database, in the order drawn (stratum, then position in the stratum)."""
    rng = np.random.default_rng(seed)
    parts = []
    for stratum in sorted(allocation.index):
        wanted = int(allocation[stratum])
        if wanted == 0:
            continue
        rows = population[population[STRATUM] == stratum].sort_values(ORDER, kind="stable")
        if wanted > len(rows):
            raise ValueError(f"{stratum}: {wanted} cases asked of {len(rows)}")
        picked = np.sort(rng.choice(len(rows), size=wanted, replace=False))
        parts.append(rows.iloc[picked])
    if not parts:
        return population.iloc[0:0]
    return pd.concat(parts, ignore_index=True)


def compliance(
    answers: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    confidence: float,
    min_compare: int,
    strata: pd.DataFrame | None = None,
    weighted: bool = True,
) -> pd.DataFrame:
    """Compliance per question and area (force and division rows weighted by district, see
    `_weighted`, only when `weighted` and `strata` are given): `answers` has a row per case and
    question (case, district_code, question, answer); `areas` maps each district_code to its area at
    every level (level, area, district_code). Returns level, area, question, yes, no,
    not_applicable, answered (yes + no), rate = yes / answered in percent, its Wilson interval (low,
    high), and `comparable` (at least `min_compare` answered). With `strata` (district_code,
    population, cases: the incidents a district held and the cases drawn from it) a district's
    interval carries its finite population correction (`wilson_interval`), as its size was designed
    (`metrics.sampledesign`), and a force or division row weights each district by its incidents
    (`_weighted`)."""
    joined = answers.merge(areas, on="district_code", how="inner")
    counts = (
        joined.assign(n=1)
        .pivot_table(
            index=["level", "area", "question"],
            columns="answer",
            values="n",
            aggfunc="sum",
            fill_value=0,
        )
        .reindex(columns=[a.value for a in Answer], fill_value=0)
        .rename(columns=ANSWER_COLUMNS)
        .reset_index()
    )
    counts.columns.name = None
    counts["answered"] = counts["yes"] + counts["no"]
    counts["rate"] = ratio_percent(counts["yes"], counts["answered"])
    counts["low"], counts["high"] = wilson_interval(
        counts["yes"],
        counts["answered"],
        alpha=1 - confidence,
        correction=_fpc(counts, areas, strata),
    )
    counts["comparable"] = counts["answered"] >= min_compare
    if not weighted:
        return counts
    return _weighted(counts, areas, strata, confidence=confidence)


def _weighted(
    counts: pd.DataFrame, areas: pd.DataFrame, strata: pd.DataFrame | None, *, confidence: float
) -> pd.DataFrame:
    """The force and division rows of a stratified sample, each district weighted by its
    incidents: rate = sum W_h p_h (W_h = N_h / N over the districts with an answer, p_h the
    district's yes / answered), and the Wilson interval of that rate at Kish's effective
    number of cases 1 / sum (W_h^2 / n_h). A sample taking about the same number of cases from
    every district (the estimate design) would otherwise count a small district as much as
    a large one; a proportional sample is weighted as drawn, so little changes."""
    if strata is None or strata.empty:
        return counts
    codes = areas[areas["level"] == Level.DISTRICT].set_index("area")["district_code"]
    own = counts[(counts["level"] == Level.DISTRICT) & (counts["answered"] > 0)]
    own = own.assign(district_code=own["area"].map(codes), p=own["yes"] / own["answered"])
    own = own.merge(strata[["district_code", "population"]], on="district_code")
    keys = ["level", "area", "question"]
    parts = areas[areas["level"] != Level.DISTRICT].merge(
        own[["district_code", "question", "p", "answered", "population"]], on="district_code"
    )
    if parts.empty:
        return counts
    parts["w"] = parts["population"] / parts.groupby(keys)["population"].transform("sum")
    parts = parts.assign(wp=parts["w"] * parts["p"], w2n=parts["w"] ** 2 / parts["answered"])
    found = parts.groupby(keys).agg(p=("wp", "sum"), inverse=("w2n", "sum")).reset_index()
    n_eff = 1 / found["inverse"]
    low, high = wilson_interval(found["p"] * n_eff, n_eff, alpha=1 - confidence)
    found = found.assign(rate=100 * found["p"], low=low, high=high)
    merged = counts.merge(found[[*keys, "rate", "low", "high"]], on=keys, how="left")
    for column in ("rate", "low", "high"):
        merged[column] = merged[f"{column}_y"].combine_first(merged[f"{column}_x"])
    return merged[counts.columns]


def _fpc(
    counts: pd.DataFrame, areas: pd.DataFrame, strata: pd.DataFrame | None
) -> pd.Series | None:
    """(N - n) / (N - 1) of each district row of `counts` whose stratum is known (0 for a
    district of one incident drawn); 1 for every other row; None without strata."""
    if strata is None or strata.empty:
        return None
    codes = areas[areas["level"] == Level.DISTRICT].set_index("area")["district_code"]
    held = strata.set_index("district_code")
    code = counts["area"].map(codes).where(counts["level"] == Level.DISTRICT)
    population = code.map(held["population"]).astype(float)
    drawn = code.map(held["cases"]).astype(float)
    factor = ((population - drawn) / (population - 1)).where(population > 1, 0.0)
    return factor.where(population.notna(), 1.0).clip(0, 1).to_numpy()


P_CHART_SIGMAS = 3  # the limits of a p-chart, in standard errors either side of the centre


def p_chart(trend: pd.DataFrame, *, min_answered: int) -> pd.DataFrame:
    """Each question's compliance across samples as a p-chart (the SPC chart of a proportion
    with a different n per point): `trend` has sample, question, yes, answered in sample
    order. Adds rate (yes / answered, in percent), centre (pooled yes / answered over the
    samples, in percent), lower and upper limits (centre +/- 3 standard errors of each sample's
    n, within 0-100), `readable` (at least `min_answered` answered: fewer are too few to read
    against limits) and `signal`: 1 above the upper limit, -1 below the lower, 0 within
    (missing where the sample is not readable)."""
    frame = trend.copy()
    totals = frame.groupby("question")[["yes", "answered"]].transform("sum")
    centre = totals["yes"] / totals["answered"].where(totals["answered"] > 0)
    spread = P_CHART_SIGMAS * np.sqrt(
        centre * (1 - centre) / frame["answered"].where(frame["answered"] > 0)
    )
    frame["centre"] = 100 * centre
    frame["lower"] = (100 * (centre - spread)).clip(lower=0)
    frame["upper"] = (100 * (centre + spread)).clip(upper=100)
    rate = frame["rate"] = ratio_percent(frame["yes"], frame["answered"])
    signal = np.select([rate > frame["upper"], rate < frame["lower"]], [1, -1], default=0)
    frame["readable"] = frame["answered"] >= min_answered
    frame["signal"] = pd.Series(signal, index=frame.index).where(rate.notna() & frame["readable"])
    return frame
