"""A draw's design before it is drawn: the cases each district gives under one of three designs
(`config.dipsampling.Design`), shown on the Draw form before drawing and stored with the sample;
and the refusal of a draw that would repeat an earlier one.

- estimate: every district its own size, so its compliance is read to the configured
  precision (`metrics.sampledesign.stratum_size`: +/-15 points at 95% by default);
- discovery: a force-wide size that finds at least one failure if `margin` fail
  (`metrics.sampledesign.discovery_size`), shared among districts by the allocation asked;
- number: a number of cases chosen, shared the same way.

A draw with the seed and population (months, districts, categories, flags) of an earlier sample
would draw the same cases again: it is refused, naming the earlier sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from config.dipsampling import Allocation, Design, SamplingSettings
from db.dipsamples import Population, Sample
from metrics.sampledesign import stratum_sizes, widest_half_width
from metrics.sampling import STRATUM, allocate, sample_size


class RepeatedDraw(ValueError):
    """A draw with the seed and population of an earlier sample."""

    def __init__(self, earlier: Sample) -> None:
        self.earlier = earlier
        super().__init__(
            f"sample {earlier.id} was drawn with seed {earlier.seed} from the same months, "
            "areas, categories and flags: the same seed would draw the same cases again. "
            f"Choose another seed (or none), or review sample {earlier.id}."
        )


@dataclass(frozen=True)
class Plan:
    """The cases each district gives, before drawing."""

    design: Design
    confidence: float
    strata: pd.DataFrame  # district_code, population, cases, widest (+/- points if all answered)
    allocation: Allocation | None = None  # how a force-wide size is shared (not for estimate)
    size: int | None = None  # number design
    margin: float | None = None  # discovery design
    precision: float | None = None  # estimate design

    @property
    def population(self) -> int:
        return int(self.strata["population"].sum())

    @property
    def total(self) -> int:
        return int(self.strata["cases"].sum())

    def parameters(self, of: Population) -> dict:
        """What is stored with the sample: every filter and the design's every setting."""
        return {
            "districts": list(of.districts),
            "categories": list(of.categories),
            "flags": list(of.flags),
            "design": self.design.value,
            "allocation": None if self.allocation is None else self.allocation.value,
            "size": self.size,
            "margin": None if self.margin is None else float(self.margin),
            "precision": None if self.precision is None else float(self.precision),
            "confidence": self.confidence,
            "strata": {
                row.district_code: [int(row.population), int(row.cases)]
                for row in self.strata.itertuples(index=False)
            },
        }


def plan(
    people: pd.DataFrame,
    of: Population,
    settings: SamplingSettings,
    *,
    design: Design,
    size: int | None = None,
    margin: float | None = None,
    precision: float | None = None,
    allocation: Allocation = Allocation.PROPORTIONAL,
) -> Plan:
    """The cases per district of `people` (the incidents `of` selects) under `design`; a
    setting not given is the configured one."""
    volumes = people.groupby(STRATUM).size().reindex(of.districts, fill_value=0).astype(int)
    confidence = settings.confidence
    shared = allocation
    if design == Design.ESTIMATE:
        precision = settings.precision if precision is None else precision
        cases = stratum_sizes(volumes, precision=precision, confidence=confidence)
        shared, size, margin = None, None, None
    elif design == Design.DISCOVERY:
        margin = settings.margin if margin is None else margin
        wanted = sample_size(int(volumes.sum()), margin=margin, confidence=confidence)
        cases = allocate(volumes, wanted, method=allocation)
        size, precision = None, None
    else:
        if size is None or size < 1:
            raise ValueError("a number of cases of at least 1 is needed")
        cases = allocate(volumes, size, method=allocation)
        margin, precision = None, None
    strata = pd.DataFrame(
        {
            "district_code": volumes.index,
            "population": volumes.to_numpy(),
            "cases": cases.reindex(volumes.index).to_numpy(),
        }
    )
    strata["widest"] = [
        widest_half_width(int(n), int(p), confidence=confidence)
        for n, p in zip(strata["cases"], strata["population"], strict=True)
    ]
    return Plan(
        design=design,
        confidence=confidence,
        strata=strata,
        allocation=shared,
        size=size,
        margin=margin,
        precision=precision,
    )


def design_of(size: int | None, margin: float | None, design: Design | None) -> Design:
    """The design a call asks for: as named, else by the setting given (a size: number; a
    margin: discovery; neither: estimate)."""
    if size is not None and margin is not None:
        raise ValueError("give either a size or a margin of error")
    if design is not None:
        return design
    if size is not None:
        return Design.NUMBER
    return Design.DISCOVERY if margin is not None else Design.ESTIMATE
