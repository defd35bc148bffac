"""Dip-sampling for the ASB Oversight Board (issue 12): draw a reproducible sample of ASB
incidents, record each case's review against the checklist in `config/dipsampling.toml`, and
report compliance by area with Wilson intervals.

    drawn = draw(session=..., catalogue=..., of=Population(...), seed=1, actor=...)  # estimate
    report(session=..., catalogue=..., sample_id=drawn.sample_id)   # compliance per area

The arithmetic is `metrics.sampling` and `metrics.sampledesign` (sizes, in exact arithmetic);
the design shown before a draw and the refusal of a repeated draw are `dipsampling.design`;
which samples a trend may join is `dipsampling.trend`; districts side by side are
`dipsampling.districts`; the store is `db.dipsamples`; the Excel review sheet is
`dipsampling.sheets`; `manage.py sample` is `commands.sample`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.dipsampling import Allocation, Answer, Design
from config.vocabulary import Level
from db import dipsamples
from db.dipsamples import VERDICT, Population, Sample
from db.queries import LEVELS
from dipsampling.design import Plan, RepeatedDraw, design_of, plan
from dipsampling.trend import TREND_COLUMNS, Excluded, Trend, comparable, reworded
from metrics.sampling import compliance
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
    precision: float | None = None,
    design: Design | None = None,
    allocation: Allocation = Allocation.PROPORTIONAL,
    seed: int | None = None,
    is_demo: bool = False,
) -> Drawn:
    """Draw and store a sample of the incidents `of` selects, sized by its design
    (`dipsampling.design.plan`: `size` cases, as many as `margin` needs to discover a failure,
    or enough per district for `precision`; neither: the estimate design at the configured
    precision). Without a seed one is chosen at random and stored, so the draw can be checked.
    A seed and population already drawn is refused (`RepeatedDraw`). A sample of
    demonstration incidents is a demonstration sample."""
    settings = catalogue.dipsampling.sampling
    design = design_of(size, margin, design)
    if seed is None:
        seed = _fresh_seed(session, of)
    else:
        earlier = dipsamples.same_draw(session=session, seed=seed, of=of)
        if earlier:
            raise RepeatedDraw(earlier[0])
    people = dipsamples.population(session=session, of=of)
    chosen_plan = plan(
        people,
        of,
        settings,
        design=design,
        size=size,
        margin=margin,
        precision=precision,
        allocation=allocation,
    )
    shares = chosen_plan.strata.set_index("district_code")["cases"]
    chosen = draw_cases(people, shares, seed=seed)
    sample_id = dipsamples.add_sample(
        session=session,
        actor=actor,
        seed=seed,
        of=of,
        parameters=chosen_plan.parameters(of),
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


def _fresh_seed(session: Session, of: Population) -> int:
    """A random seed not yet used for this population."""
    while True:
        seed = secrets.randbelow(2**31)
        if not dipsamples.same_draw(session=session, seed=seed, of=of):
            return seed


def preview(*, session: Session, catalogue: Catalogue, of: Population, **design) -> Plan:
    """The cases per district a draw of `of` would give (`plan`), before drawing."""
    people = dipsamples.population(session=session, of=of)
    return plan(people, of, catalogue.dipsampling.sampling, **design)


def areas(catalogue: Catalogue) -> pd.DataFrame:
    """Each district's area at every level (level, area, district_code)."""
    geo = catalogue.geography
    rows = []
    for district in geo.district:
        rows += [
            (Level.FORCE, geo.force, district.ons_code),
            (Level.DIVISION, district.division, district.ons_code),
            (Level.DISTRICT, district.name, district.ons_code),
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


def covered(catalogue: Catalogue, sample: Sample) -> pd.DataFrame:
    """`areas` of the areas a sample covers whole: a sample of Burnley alone has no row for
    East or the force (its cases are not the force's)."""
    found = areas(catalogue)
    drawn_from = set(sample.parameters.get("districts", found["district_code"]))
    whole = found.assign(inside=found["district_code"].isin(drawn_from))
    whole = whole.groupby(["level", "area"])["inside"].transform("all")
    return found[whole].reset_index(drop=True)


def strata(sample: Sample) -> pd.DataFrame:
    """The incidents each district held and the cases drawn from it (district_code,
    population, cases), as stored with the sample (none for samples drawn before issue 25)."""
    held = sample.parameters.get("strata") or {}
    return pd.DataFrame(
        [(code, n, k) for code, (n, k) in held.items()],
        columns=["district_code", "population", "cases"],
    )


def weighted(sample: Sample) -> bool:
    """Whether a sample's force and division figures weight each district by its incidents:
    only where its districts were not sampled in proportion to their incidents (the estimate
    design, or an equal share), and never for a sample stored without its strata. A sample
    drawn in proportion is pooled as found: weighting it while only part is reviewed would
    make the figure disagree with its own counts (2 yes of 3 reading 48%)."""
    held = sample.parameters
    equal_shares = held.get("design") == "estimate" or held.get("allocation") == "equal"
    return bool(held.get("strata")) and equal_shares


def report(
    *, session: Session, catalogue: Catalogue, sample_id: int, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """Compliance per area and question of a sample's answered cases (`metrics.sampling.
    compliance`), with each question's words as the sample was drawn: only areas the sample
    covers whole, and each district's interval with its finite population correction. Only
    the cases and areas `scope` may see: never a force-wide pooled estimate for a limited
    one (`config.areascope`)."""
    settings = catalogue.dipsampling.sampling
    sample = dipsamples.sample(session=session, sample_id=sample_id)
    if sample is None:
        raise KeyError(f"no dip sample {sample_id}")
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    given = given[given["question"] != VERDICT]
    drawn = dipsamples.cases(session=session, sample_id=sample_id, scope=scope)
    joined = given.merge(drawn[["case_id", "district_code"]], on="case_id")
    table = compliance(
        joined.rename(columns={"case_id": "case"}),
        covered(catalogue, sample),
        confidence=settings.confidence,
        min_compare=settings.min_compare,
        strata=strata(sample),
        weighted=weighted(sample),
    )
    table = table.loc[table["area"].map(scope.allows).astype(bool)]  # empty stays a table
    table.insert(3, "question_text", table["question"].map(sample.questions))
    order = {
        "level": {level: i for i, level in enumerate(LEVELS)},
        "area": {area: i for i, area in enumerate(catalogue.area_names())},
        "question": {code: i for i, code in enumerate(sample.questions)},
    }
    return table.sort_values(
        ["level", "area", "question"], key=lambda column: column.map(order[column.name])
    ).reset_index(drop=True)


def progress(
    *, session: Session, sample_id: int, questions: list[str], scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """Each case of a sample (of the districts `scope` may see) with how far its review has
    gone: position, reference, month, district_code, category, answered (questions
    answered), verdict (code, or None)."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id, scope=scope)
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


def failures(*, session: Session, sample_id: int, scope: AreaScope = EVERY_AREA) -> pd.DataFrame:
    """The answers "no" of a sample (of the districts `scope` may see), for follow-up:
    position, reference, district_code, question, note."""
    drawn = dipsamples.cases(session=session, sample_id=sample_id, scope=scope)
    given = dipsamples.answers(session=session, sample_ids=[sample_id])
    found = given[given["answer"] == Answer.NO.value].merge(drawn, on="case_id")
    return found[["position", "reference", "district_code", "question", "note"]].sort_values(
        ["position", "question"]
    )


def trend(
    *, session: Session, catalogue: Catalogue, area: str, like: Sample | None = None
) -> Trend:
    """Compliance in `area` per question across the samples comparable with `like` (default:
    the newest sample), in the order of the months sampled (`dipsampling.trend`): the points
    (TREND_COLUMNS) and the samples left out, with why."""
    every = dipsamples.samples(session=session)
    like = like or (every[0] if every else None)
    if like is None:
        return Trend(points=pd.DataFrame(columns=TREND_COLUMNS), excluded=())
    kept, left = comparable(every, like)
    rows = []
    for drawn in kept:
        changed = reworded(drawn, like)
        if changed:
            left.append(Excluded(sample=drawn, questions=changed))
        table = report(session=session, catalogue=catalogue, sample_id=drawn.id)
        table = table[(table["area"] == area) & table["question"].isin(like.questions)]
        table = table[~table["question"].isin(changed)]
        rows.append(
            table.assign(
                sample=drawn.id, first_month=drawn.first_month, last_month=drawn.last_month
            )
        )
    points = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return Trend(points=points.reindex(columns=TREND_COLUMNS), excluded=tuple(left))
