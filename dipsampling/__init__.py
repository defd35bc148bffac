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
from sqlalchemy.orm import Session

from config import Catalogue
from config.dipsampling import Allocation, Answer
from db import dipsamples
from db.dipsamples import VERDICT, Population
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
    session: Session,
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
    draw can be repeated and checked. A sample of demonstration incidents is a demonstration
    sample."""
    if (size is None) == (margin is None):
        raise ValueError("give either a size or a margin of error")
    settings = catalogue.dipsampling.sampling
    seed = secrets.randbelow(2**31) if seed is None else seed
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
        is_demo=is_demo or dipsamples.population_is_demo(session=session, of=of),
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


def record(
    *, session: Session, actor: str, sample_id: int, given: pd.DataFrame
) -> list[dipsamples.Change]:
    """Record the answers of a checked review sheet (`sheets.read`: case position, question,
    answer, note, reviewer and day); returns the answers that changed, each with its earlier
    value (the audit lists them)."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id)
    case_ids = dict(zip(drawn["position"], drawn["case_id"], strict=True))
    return dipsamples.save_answers(
        session=session,
        actor=actor,
        sample_id=sample_id,
        given=given.assign(case_id=given["position"].map(case_ids)),
    )


def districts_in(catalogue: Catalogue, area: str) -> list[str]:
    """The ONS codes of the districts in `area` (the force, a division or a district)."""
    found = areas(catalogue)
    return found.loc[found["area"] == area, "district_code"].tolist()


def districts_for(catalogue: Catalogue, chosen: list[str]) -> tuple[str, ...]:
    """The ONS codes of the districts in any of the `chosen` areas (none: every district), in
    the catalogue's order. Raises KeyError(area) for an area the catalogue does not know."""
    wanted: set[str] = set()
    for area in chosen:
        if area not in catalogue.area_names():
            raise KeyError(area)
        wanted.update(districts_in(catalogue, area))
    return tuple(
        d.ons_code for d in catalogue.geography.district if not chosen or d.ons_code in wanted
    )


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


def progress(*, session: Session, sample_id: int, questions: list[str]) -> pd.DataFrame:
    """Each case of a sample with how far its review has gone: position, reference, month,
    district_code, category, answered (questions answered), verdict (code, or None)."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id)
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    counted = given[given["question"].isin(questions)].groupby("case_id").size()
    verdicts = given[given["question"] == VERDICT].set_index("case_id")["answer"]
    return drawn.assign(
        answered=drawn["case_id"].map(counted).fillna(0).astype(int),
        verdict=drawn["case_id"].map(verdicts),
    )


def next_case(done: pd.DataFrame, *, after: int) -> int:
    """The position of the first case after `after` with no verdict yet (from the start when
    there is none after it; `after` itself, or 1, when every case has one)."""
    open_ = done.loc[done["verdict"].isna(), "position"]
    later = open_[open_ > after]
    if len(later):
        return int(later.iloc[0])
    if len(open_):
        return int(open_.iloc[0])
    return max(after, 1)


def failures(*, session: Session, sample_id: int) -> pd.DataFrame:
    """The answers "no" of a sample, for follow-up: position, reference, district_code,
    question, note."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id)
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    found = given[given["answer"] == Answer.NO.value].merge(drawn, on="case_id")
    return found[["position", "reference", "district_code", "question", "note"]].sort_values(
        ["position", "question"]
    )


def trend(*, session: Session, catalogue: Catalogue, area: str) -> pd.DataFrame:
    """Compliance in `area` per question across every sample, oldest first: sample, last_month,
    question, yes, answered, rate, low, high."""
    rows = []
    for drawn in reversed(dipsamples.samples(session=session)):
        table = report(session=session, catalogue=catalogue, sample_id=drawn.id)
        table = table[table["area"] == area]
        rows.append(table.assign(sample=drawn.id, last_month=drawn.last_month))
    columns = ["sample", "last_month", "question", "yes", "answered", "rate", "low", "high"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]
