"""Dip-sampling in the store: the incidents a sample may be drawn from, samples and their
cases, and the answers of each case's review (every change audited)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from config.areascope import EVERY_AREA, AreaScope
from db.aggregates import newest_loads
from db.loads import audit, bulk_insert
from db.models import AsbIncident, Load
from db.models.dip import DipAnswer, DipCase, DipSample

VERDICT = "verdict"  # the `question` of the panel's verdict on a case
FLAGS = ("repeat_victim", "vulnerable_victim", "vehicle_involved")  # a sample may require these
POPULATION_COLUMNS = ["reference", "occurred_at", "month", "district_code", "category"]
CASE_COLUMNS = ["case_id", "position", *POPULATION_COLUMNS]
ANSWER_COLUMNS = ["case_id", "question", "answer", "note", "reviewed_by", "reviewed_at"]


@dataclass(frozen=True)
class Population:
    """Which incidents a sample is drawn from: months (inclusive), districts (ONS codes),
    ASB categories (empty: all) and flags that must be set (empty: none)."""

    first_month: date
    last_month: date
    districts: tuple[str, ...]
    categories: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # of vehicle_involved, repeat_victim, vulnerable_victim


@dataclass(frozen=True)
class Sample:
    """A sample as stored (its cases apart)."""

    id: int
    drawn_at: datetime
    drawn_by: str
    seed: int
    first_month: date
    last_month: date
    parameters: dict
    population: int
    size: int
    questions: dict[str, str]
    is_demo: bool


def population(*, session: Session, of: Population) -> pd.DataFrame:
    """The incidents shown (each month's newest incident load) that `of` selects."""
    newest = newest_loads()
    stmt = (
        select(*(getattr(AsbIncident, c) for c in POPULATION_COLUMNS))
        .join(
            newest,
            and_(newest.c.load_id == AsbIncident.load_id, newest.c.month == AsbIncident.month),
        )
        .where(
            AsbIncident.month >= of.first_month,
            AsbIncident.month <= of.last_month,
            AsbIncident.district_code.in_(of.districts),
        )
    )
    if of.categories:
        stmt = stmt.where(AsbIncident.category.in_(of.categories))
    for flag in of.flags:
        stmt = stmt.where(getattr(AsbIncident, flag).is_(True))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=POPULATION_COLUMNS)
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
    return frame


def population_is_demo(*, session: Session, of: Population) -> bool:
    """Whether the incidents `of` selects come from a demonstration load."""
    newest = newest_loads()
    found = session.scalar(
        select(func.count())
        .select_from(Load)
        .join(newest, newest.c.load_id == Load.id)
        .where(
            newest.c.month >= of.first_month,
            newest.c.month <= of.last_month,
            Load.is_demo.is_(True),
        )
    )
    return bool(found)


def add_sample(
    *,
    session: Session,
    actor: str,
    seed: int,
    of: Population,
    parameters: dict,
    population_size: int,
    cases: pd.DataFrame,
    questions: dict[str, str],
    is_demo: bool = False,
) -> int:
    """Store a drawn sample and its cases (columns POPULATION_COLUMNS, in the order drawn);
    returns its id."""
    sample = DipSample(
        drawn_at=datetime.now().replace(microsecond=0),
        drawn_by=actor,
        seed=seed,
        first_month=of.first_month,
        last_month=of.last_month,
        parameters=json.dumps(parameters, sort_keys=True),
        population=population_size,
        size=len(cases),
        questions=json.dumps(questions),
        is_demo=is_demo,
    )
    session.add(sample)
    session.flush()
    rows = cases[POPULATION_COLUMNS].assign(sample_id=sample.id, position=range(1, len(cases) + 1))
    bulk_insert(session=session, table=DipCase.__table__, frame=rows)
    audit(
        session=session,
        actor=actor,
        action="sample drawn",
        entity=f"dip sample {sample.id}",
        detail=f"{len(cases)} of {population_size} incidents, seed {seed}",
    )
    return sample.id


def samples(*, session: Session) -> list[Sample]:
    """Every sample, newest first."""
    found = session.scalars(select(DipSample).order_by(DipSample.id.desc())).all()
    return [_sample(s) for s in found]


def sample(*, session: Session, sample_id: int) -> Sample | None:
    found = session.get(DipSample, sample_id)
    return None if found is None else _sample(found)


def _sample(row: DipSample) -> Sample:
    return Sample(
        id=row.id,
        drawn_at=row.drawn_at,
        drawn_by=row.drawn_by,
        seed=row.seed,
        first_month=row.first_month,
        last_month=row.last_month,
        parameters=json.loads(row.parameters),
        population=row.population,
        size=row.size,
        questions=json.loads(row.questions),
        is_demo=row.is_demo,
    )


def same_draw(*, session: Session, seed: int, of: Population) -> list[Sample]:
    """The samples already drawn with `seed` from the population `of` selects (the same
    months, districts, categories and flags, in any order): a draw that would repeat them."""
    found = session.scalars(
        select(DipSample)
        .where(
            DipSample.seed == seed,
            DipSample.first_month == of.first_month,
            DipSample.last_month == of.last_month,
        )
        .order_by(DipSample.id)
    ).all()
    wanted = (set(of.districts), set(of.categories), set(of.flags))
    return [
        s
        for s in map(_sample, found)
        if tuple(set(s.parameters.get(k, ())) for k in ("districts", "categories", "flags"))
        == wanted
    ]


def cases(*, session: Session, sample_id: int, scope: AreaScope = EVERY_AREA) -> pd.DataFrame:
    """A sample's cases in the order drawn (CASE_COLUMNS), of the districts `scope` may see
    (`config.areascope`)."""
    stmt = (
        select(DipCase.id, DipCase.position, *(getattr(DipCase, c) for c in POPULATION_COLUMNS))
        .where(DipCase.sample_id == sample_id)
        .order_by(DipCase.position)
    )
    if not scope.is_wide:
        stmt = stmt.where(DipCase.district_code.in_(sorted(scope.codes)))
    return pd.DataFrame(session.execute(stmt).all(), columns=CASE_COLUMNS)


def answers(*, session: Session, sample_ids: list[int]) -> pd.DataFrame:
    """Every answer given to the cases of the samples (ANSWER_COLUMNS and sample_id)."""
    stmt = (
        select(*(getattr(DipAnswer, c) for c in ANSWER_COLUMNS), DipCase.sample_id)
        .join(DipCase, DipCase.id == DipAnswer.case_id)
        .where(DipCase.sample_id.in_(sample_ids))
        .order_by(DipCase.sample_id, DipCase.position, DipAnswer.question)
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=[*ANSWER_COLUMNS, "sample_id"])


@dataclass(frozen=True)
class Change:
    """One answer recorded: the case (position, reference), the question, and the answer and
    note before (None: not answered) and after. Its words (the audit's detail) name the case by
    its place in the sample, never by its reference: admins read the audit, not the cases."""

    position: int
    reference: str
    question: str
    before: str | None
    after: str
    note_before: str | None
    note_after: str | None

    def __str__(self) -> str:
        said = f"case {self.position} {self.question}: "
        said += f"{self.before or EMPTY} -> {self.after}"
        if self.note_before != self.note_after:
            said += f" (note {_quoted(self.note_before)} -> {_quoted(self.note_after)})"
        return said


EMPTY = "(none)"


def _quoted(note: str | None) -> str:
    return EMPTY if note is None else repr(note)


def save_answers(
    *, session: Session, actor: str, sample_id: int, given: pd.DataFrame
) -> list[Change]:
    """Record answers (columns case_id, question, answer, note; optionally reviewed_by and
    reviewed_at, the panel member and day of a review sheet, else `actor` and now) to a
    sample's cases: each replaces that case's earlier answer to the question. Returns the
    answers that changed, each with its earlier value; the audit lists them all."""
    kept = answers(session=session, sample_ids=[sample_id]).set_index(["case_id", "question"])
    drawn = cases(session=session, sample_id=sample_id).set_index("case_id")
    now = datetime.now().replace(microsecond=0)
    changes = []
    for row in given.itertuples(index=False):
        key = (int(row.case_id), row.question)
        note = _text_or_none(row.note)
        before, kept_note = None, None
        if key in kept.index:
            before, kept_note = kept.loc[key, "answer"], _text_or_none(kept.loc[key, "note"])
            if before == row.answer and kept_note == note:
                continue
            session.execute(
                delete(DipAnswer).where(DipAnswer.case_id == key[0], DipAnswer.question == key[1])
            )
        session.add(
            DipAnswer(
                case_id=key[0],
                question=key[1],
                answer=row.answer,
                note=note,
                reviewed_by=_text_or_none(getattr(row, "reviewed_by", None)) or actor,
                reviewed_at=_when(getattr(row, "reviewed_at", None)) or now,
            )
        )
        case = drawn.loc[key[0]]
        changes.append(
            Change(
                position=int(case["position"]),
                reference=case["reference"],
                question=key[1],
                before=before,
                after=row.answer,
                note_before=kept_note,
                note_after=note,
            )
        )
    if changes:
        audit(
            session=session,
            actor=actor,
            action="sample reviewed",
            entity=f"dip sample {sample_id}",
            detail=f"{len(changes)} answer(s) recorded: " + "; ".join(map(str, changes)),
        )
    return changes


def _text_or_none(value) -> str | None:
    return None if value is None or pd.isna(value) or value == "" else str(value)


def _when(value) -> datetime | None:
    """A review sheet's day as the time of the review (None when the sheet gave none)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()
