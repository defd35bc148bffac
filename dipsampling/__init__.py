"""Dip-sampling for the ASB Oversight Board (issue 12): draw a reproducible sample of ASB
incidents, record each case's review against the checklist in `config/dipsampling.toml`, and
report compliance by area with Wilson intervals.

    drawn = draw(engine=..., catalogue=..., of=Population(...), size=60, seed=1, actor=...)
    report(session=..., catalogue=..., sample_id=drawn.sample_id)   # compliance per area

The arithmetic is `metrics.sampling`; the store is `db.dipsamples`; the Excel review sheet is
`dipsampling.sheets`; `manage.py sample` is `dipsampling.cli`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from config import Catalogue
from config.dipsampling import Allocation
from db import dipsamples
from db.dipsamples import VERDICT, Population
from db.engine import session_scope
from db.queries import LEVELS
from metrics.sampling import STRATUM, allocate, compliance, sample_size
from metrics.sampling import draw as draw_cases


@dataclass(frozen=True)
class Drawn:
    sample_id: int
    population: int
    size: int
    seed: int
    per_district: dict[str, int]  # district name -> cases


def draw(
    *,
    engine: Engine,
    catalogue: Catalogue,
    of: Population,
    actor: str,
    size: int | None = None,
    margin: float | None = None,
    allocation: Allocation = Allocation.PROPORTIONAL,
    seed: int | None = None,
    is_demo: bool = False,
) -> Drawn:
    """Draw and store a sample of the incidents `of` selects: `size` cases, or as many as
    `margin` needs at the configured confidence (`metrics.sampling.sample_size`), shared among
    the districts by `allocation`. Without a seed one is chosen at random and stored, so the
    draw can be repeated and checked."""
    if (size is None) == (margin is None):
        raise ValueError("give either a size or a margin of error")
    settings = catalogue.dipsampling.sampling
    seed = secrets.randbelow(2**31) if seed is None else seed
    with session_scope(engine) as session:
        people = dipsamples.population(session=session, of=of)
        wanted = size
        if wanted is None:
            wanted = sample_size(len(people), margin=margin, confidence=settings.confidence)
        volumes = people.groupby(STRATUM).size().reindex(of.districts, fill_value=0)
        shares = allocate(volumes, wanted, method=allocation)
        chosen = draw_cases(people, shares, seed=seed)
        parameters = {
            "districts": list(of.districts),
            "categories": list(of.categories),
            "flags": list(of.flags),
            "allocation": allocation.value,
            "size": size,
            "margin": margin,
            "confidence": settings.confidence,
        }
        sample_id = dipsamples.add_sample(
            session=session,
            actor=actor,
            seed=seed,
            of=of,
            parameters=parameters,
            population_size=len(people),
            cases=chosen,
            questions=catalogue.dipsampling.questions(),
            is_demo=is_demo,
        )
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    return Drawn(
        sample_id=sample_id,
        population=len(people),
        size=len(chosen),
        seed=seed,
        per_district={names[k]: int(v) for k, v in shares.items() if v},
    )


def areas(catalogue: Catalogue) -> pd.DataFrame:
    """Each district's area at every level (level, area, district_code)."""
    geo = catalogue.geography
    rows = []
    for district in geo.district:
        rows += [
            ("force", geo.force, district.ons_code),
            ("division", district.division, district.ons_code),
            ("district", district.name, district.ons_code),
        ]
    return pd.DataFrame(rows, columns=["level", "area", "district_code"])


def report(*, session: Session, catalogue: Catalogue, sample_id: int) -> pd.DataFrame:
    """Compliance per area and question of a sample's answered cases (`metrics.sampling.
    compliance`), with each question's words as the sample was drawn."""
    settings = catalogue.dipsampling.sampling
    sample = dipsamples.sample(session=session, sample_id=sample_id)
    if sample is None:
        raise KeyError(f"no dip sample {sample_id}")
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    given = given[given["question"] != VERDICT]
    drawn = dipsamples.cases(session=session, sample_id=sample_id)
    joined = given.merge(drawn[["case_id", "district_code"]], on="case_id")
    table = compliance(
        joined.rename(columns={"case_id": "case"}),
        areas(catalogue),
        confidence=settings.confidence,
        min_compare=settings.min_compare,
    )
    table.insert(3, "question_text", table["question"].map(sample.questions))
    order = {
        "level": {level: i for i, level in enumerate(LEVELS)},
        "area": {area: i for i, area in enumerate(catalogue.area_names())},
        "question": {code: i for i, code in enumerate(sample.questions)},
    }
    return table.sort_values(
        ["level", "area", "question"], key=lambda column: column.map(order[column.name])
    ).reset_index(drop=True)
