"""police.uk files row by row, on hand-made fixtures: repeated Crime IDs, rows with no
location or outside the districts, 2011 and 2021 LSOAs, outcomes files, republished months,
a measure defined in configuration alone, and the rows that refuse a file.

Expected figures and data-quality facts are counted here from the rows each test writes, with
the districts and LSOA vintages written by hand in PLACES (never from product code).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

import manage
from config import PROJECT_ROOT, get_catalogue, load_catalogue
from db.engine import session_scope
from db.models import AuditEntry, Crime, Load, LoadFact, Observation, Revision, RevisionChange
from db.queries import monthly_values
from db.store import init_store
from ingest import inspect
from ingest.load import load_plan
from ingest.policeuk import OUTCOME_COLUMNS, STREET_COLUMNS
from tests.conftest import store_counts

FORCE = "Lancashire Constabulary"
ASB, SHOP = "Anti-social behaviour", "Shoplifting"
KEPT_TYPES = {ASB, SHOP}  # the crime types the project's measures count
POSITIVE = {"Offender given a caution", "Suspect charged"}  # of the outcomes used here
NOT_POSITIVE = "Investigation complete; no suspect identified"
# place -> LSOA code, LSOA name, district (None: force totals only), vintage (None: no code)
PLACES = {
    "blackburn": ("E01012607", "Blackburn with Darwen 001A", "Blackburn with Darwen", 2011),
    "burnley": ("E01024700", "Burnley 005B", "Burnley", 2011),
    "preston": ("E01034764", "Preston 024F", "Preston", 2021),
    "ribble": ("E01033769", "Ribble Valley 009E", "Ribble Valley", 2021),  # first 2021 code
    "wyre": ("E01033768", "Wyre 015F", "Wyre", 2011),  # last 2011 code
    "bolton": ("E01004766", "Bolton 001B", None, 2011),
    "wrexham": ("W01001959", "Wrexham 001A", None, 2021),  # first Welsh 2021 code
    "cardiff": ("W01001958", "Cardiff 048F", None, 2011),
    "nowhere": ("", "", None, None),
    "bad code": ("X123", "Wyre 001A", None, None),  # malformed: kept, unallocated
}
PLACE_OF = {(code, name): (district, year) for code, name, district, year in PLACES.values()}
COUNTS = [  # count measures: crime types, outcomes by Crime ID ({}: each row's own; None: all)
    ("asb_incidents", {ASB}, None),
    ("shoplifting_recorded", {SHOP}, None),
    ("shoplifting_positive_outcomes", {SHOP}, {}),
]
ID, MONTH, LSOA, NAME, TYPE, OUTCOME = 0, 1, 7, 8, 9, 10


def cid(label: str) -> str:
    """A police.uk-like Crime ID (64 hex digits)."""
    return hashlib.sha256(label.encode()).hexdigest()


def street(place, crime_type, crime_id="", outcome=None, month="2024-01"):
    code, name, _, _ = PLACES[place]
    where = ["-2.4", "53.7", "On or near Market Street"] if code else ["", "", "No location"]
    outcome = ("" if crime_type == ASB else "Under investigation") if outcome is None else outcome
    return [crime_id, month, FORCE, FORCE, *where, code, name, crime_type, outcome, ""]


def outcome_row(crime_id, place, outcome, month="2024-02"):
    return [*street(place, SHOP, crime_id, month=month)[:9], outcome]


def write(path: Path, rows: list[list[str]], columns=STREET_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def expected(rows, types, outcomes=None) -> Counter:
    """District (None: force level only) -> rows of `types`; with `outcomes`, only rows whose
    last outcome (`outcomes` by Crime ID, else the row's own) is positive."""
    return Counter(
        PLACE_OF[(r[LSOA], r[NAME])][0]
        for r in rows
        if r[TYPE] in types
        and (outcomes is None or (outcomes.get(r[ID]) or r[OUTCOME]) in POSITIVE)
    )


def expected_facts(rows) -> dict[str, int]:
    facts, seen = Counter(rows=len(rows)), set()
    for r in rows:
        district, year = PLACE_OF[(r[LSOA], r[NAME])]
        facts["rows_kept"] += r[TYPE] in KEPT_TYPES
        if year is None:
            facts["no_location"] += 1
            facts["unrecognised_codes"] += bool(r[LSOA])
        else:
            facts[f"lsoa_{year}"] += 1
            facts["outside_districts"] += district is None
        facts["repeated_crime_ids"] += r[ID] in seen
        seen.add(r[ID] or None)
    return {fact: n for fact, n in facts.items() if n}


def run(capsys, *args) -> tuple[int, str, str]:
    status = manage.main([str(a) for a in args])
    out = capsys.readouterr()
    return status, out.out, out.err


def export(capsys, level: str) -> pd.DataFrame:
    status, out, _ = run(capsys, "export", "--level", level)
    assert status == 0
    return pd.read_csv(io.StringIO(out), dtype={"month": str})


def figures(capsys, month="2024-01") -> dict[str, dict]:
    """measure -> {district: value (non-zero only), None: force total} from `manage.py export`."""
    district, force = export(capsys, "district"), export(capsys, "force")
    found: dict[str, dict] = {}
    for measure, rows in district[district["month"] == month].groupby("measure"):
        assert len(rows) == 14, measure
        found[measure] = {
            a: v for a, v in zip(rows["area"], rows["value"], strict=True) if pd.notna(v) and v
        }
    for r in force[force["month"] == month].itertuples():
        found[r.measure][None] = r.value
    return found


def counted(want: Counter) -> dict:
    """An expected Counter in the shape of `figures`: districts, and None the force total."""
    return {**{d: n for d, n in want.items() if d and n}, None: sum(want.values())}


def scalar(store, statement):
    with session_scope(store.engine) as session:
        return session.execute(statement).all()


def facts(store, load_id: int) -> dict[str, int]:
    """A load's data-quality facts, summed over its months."""
    query = select(LoadFact.fact, func.sum(LoadFact.count)).group_by(LoadFact.fact)
    counted = query.where(LoadFact.load_id == load_id, LoadFact.fact != "published")
    return dict(scalar(store, counted))  # (the publication is a month, not a count)


@pytest.fixture
def empty(store, use_store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


def test_repeated_crime_ids_are_each_kept_and_counted(empty, capsys, tmp_path):
    x, y, w = cid("x"), cid("y"), cid("w")
    rows = [
        street("blackburn", SHOP, x),
        street("blackburn", SHOP, x),  # the same row published twice
        street("burnley", SHOP, y),
        street("nowhere", "Other theft", y),  # another crime type sharing the ID, no location
        street("preston", "Burglary", w),
        street("nowhere", SHOP, w),  # the kept one of a shared ID without a location
        street("preston", SHOP, cid("v")),
        *[street(p, ASB) for p in ("burnley", "burnley", "burnley", "blackburn", "nowhere")],
    ]
    path = write(tmp_path / "2024-01-lancashire-street.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == lines[2]  # byte-identical
    status, out, err = run(capsys, "load", path)
    assert (status, err) == (0, "")
    want = expected_facts(rows)
    assert want["repeated_crime_ids"] == 3  # x's twin, y's Other theft, w's Shoplifting
    assert facts(empty, 1) == want
    assert "rows repeating an earlier Crime ID (kept: police.uk counts rows): 3;" in out
    got = figures(capsys)
    assert got["asb_incidents"] == counted(expected(rows, {ASB}))
    assert got["shoplifting_recorded"] == counted(expected(rows, {SHOP}))
    kept = sum(r[TYPE] in KEPT_TYPES for r in rows)
    assert scalar(empty, select(func.count()).select_from(Crime)) == [(kept,)]


@pytest.mark.parametrize("place", list(PLACES))
def test_each_place_counts_in_its_district_or_force_totals_only(empty, capsys, tmp_path, place):
    rows = [
        *[street(place, ASB) for _ in range(3)],
        *[street(place, SHOP, cid(f"{place}{i}")) for i in range(2)],
        street(place, "Burglary", cid(f"{place}b")),  # not kept; its location still counted
        street("burnley", ASB),
    ]
    status, _, err = run(capsys, "load", write(tmp_path / "street.csv", rows))
    assert (status, err) == (0, "")
    got = figures(capsys)
    asb, shop = expected(rows, {ASB}), expected(rows, {SHOP})
    assert got["asb_incidents"] == counted(asb)
    assert got["shoplifting_recorded"] == counted(shop)
    assert got["asb_incidents"][None] == 4 and got["shoplifting_recorded"][None] == 2
    assert facts(empty, 1) == expected_facts(rows)
    unallocated = scalar(
        empty,
        select(Observation.measure_code, Observation.value).where(
            Observation.area_code == "unallocated", Observation.level == "force"
        ),
    )
    assert dict(unallocated) == {
        "asb_incidents": asb[None],
        "shoplifting_recorded": shop[None],
        "shoplifting_positive_outcomes": 0,
        "shoplifting_positive_outcome_rate": 0 if shop[None] else None,
    }


def test_outcomes_apply_to_every_row_of_a_crime_and_the_latest_wins(empty, capsys, tmp_path):
    x, y, z, w = cid("x"), cid("y"), cid("z"), cid("w")
    rows = [
        street("blackburn", SHOP, x),
        street("blackburn", SHOP, x),  # repeated: one crime ID, two rows
        street("burnley", SHOP, y),
        street("preston", SHOP, z),
        street("wyre", SHOP, w),
        street("burnley", SHOP, cid("v"), outcome="Offender given a caution"),
    ]
    assert run(capsys, "load", write(tmp_path / "2024-01-lancashire-street.csv", rows))[0] == 0
    published = [
        outcome_row(x, "blackburn", "Offender given a caution"),
        outcome_row(x, "blackburn", "Offender given a caution"),  # the same row twice
        outcome_row(y, "burnley", "Offender given a caution"),
        outcome_row(y, "burnley", NOT_POSITIVE),  # later in the same month: wins
        outcome_row(z, "preston", NOT_POSITIVE),
        outcome_row(z, "preston", "Suspect charged"),
        outcome_row(w, "wyre", "Suspect charged", month="2024-03"),  # the latest month wins
        outcome_row(w, "wyre", NOT_POSITIVE, month="2024-02"),
    ]
    path = write(tmp_path / "2024-03-lancashire-outcomes.csv", published, OUTCOME_COLUMNS)
    status, out, err = run(capsys, "load", path)
    assert (status, err) == (0, "")
    assert "crimes in the store given an outcome: 4;" in out
    latest = {}  # by month, then row order
    for r in sorted(published, key=lambda r: r[MONTH]):
        latest[r[ID]] = r[-1]
    assert latest == {x: "Offender given a caution", y: NOT_POSITIVE, z: "Suspect charged",
                      w: "Suspect charged"}  # fmt: skip
    positive = expected(rows, {SHOP}, latest)
    assert positive == Counter({"Blackburn with Darwen": 2, "Preston": 1, "Wyre": 1, "Burnley": 1})
    got = figures(capsys)
    assert got["shoplifting_positive_outcomes"] == counted(positive)
    assert got["shoplifting_recorded"] == counted(expected(rows, {SHOP}))
    assert got["shoplifting_positive_outcome_rate"][None] == pytest.approx(100 * 5 / 6)
    # several outcome events of one crime are usual: not a data-quality repeat
    assert facts(empty, 2) == {"outcome_rows": len(published)}
    # the January outcomes are now as known at the outcomes file's publication (March 2024)
    with session_scope(empty.engine) as session:
        force = monthly_values(session=session, level="force")
    january = force[force["month"] == date(2024, 1, 1)].set_index("measure")["published"]
    assert january["shoplifting_positive_outcome_rate"] == pd.Timestamp("2024-03-01")
    assert january["shoplifting_recorded"] == pd.Timestamp("2024-01-01")  # the street file's


def test_a_republished_month_replaces_the_rows_and_undo_restores(empty, capsys, tmp_path):
    y, w = cid("y"), cid("w")
    first = [
        *[street("burnley", ASB) for _ in range(4)],
        *[street("blackburn", ASB) for _ in range(3)],
        street("nowhere", ASB),
        street("blackburn", SHOP, cid("x")),
        street("burnley", SHOP, y),
        street("preston", SHOP, cid("z"), outcome="Offender given a caution"),
        street("burnley", SHOP, w),
        street("preston", "Burglary", cid("b")),
    ]
    second = [r for r in first if r[ID] != w]
    second.remove(street("burnley", ASB))
    second.remove(street("burnley", ASB))
    second[second.index(street("burnley", SHOP, y))] = street("burnley", SHOP, y, "Suspect charged")
    second += [street("preston", ASB), street("bolton", ASB)]
    assert run(capsys, "load", write(tmp_path / "first.csv", first))[0] == 0
    before = figures(capsys)
    status, out, err = run(capsys, "load", write(tmp_path / "second.csv", second))
    assert (status, err) == (0, "")
    after = figures(capsys)
    # independently: the kept rows as multisets
    old = Counter(tuple(r) for r in first if r[TYPE] in KEPT_TYPES)
    new = Counter(tuple(r) for r in second if r[TYPE] in KEPT_TYPES)
    added, removed = sum((new - old).values()), sum((old - new).values())
    assert (added, removed) == (3, 4)
    revision = scalar(
        empty,
        select(Revision.load_id, Revision.replaced_load_id, Revision.rows_before,
               Revision.rows_after, Revision.records_added, Revision.records_removed),
    )  # fmt: skip
    assert revision == [(2, 1, len(first), len(second), added, removed)]
    changes = scalar(
        empty,
        select(RevisionChange.measure_code, RevisionChange.level, RevisionChange.area_code,
               RevisionChange.before, RevisionChange.after),
    )  # fmt: skip
    names = {d.ons_code: d.name for d in get_catalogue().geography.district}
    recorded = {(m, names[a]): (b, v) for m, level, a, b, v in changes if level == "district"}
    differ = {
        (m, area): (before[m].get(area, 0), after[m].get(area, 0))
        for m in before
        for area in {*before[m], *after[m]} - {None}
        if before[m].get(area, 0) != after[m].get(area, 0)
    }
    assert recorded == differ
    force_level = {(m, a): (b, v) for m, level, a, b, v in changes if level == "force"}
    unallocated = {
        (m, "unallocated"): (expected(first, t, o)[None], expected(second, t, o)[None])
        for m, t, o in COUNTS
    }
    assert force_level == {key: pair for key, pair in unallocated.items() if pair[0] != pair[1]}
    assert len(changes) == len(recorded) + len(force_level) == 6
    assert (
        f"2024-01 republished, replacing load 1 ({len(first)} rows before, {len(second)} after; "
        f"{added} records added, {removed} removed, {len(changes)} figures changed)"
    ) in out
    revised = scalar(empty, select(AuditEntry.detail).where(AuditEntry.action == "month revised"))
    note = (
        f"2024-01 republished, replacing load 1 ({len(first)} rows before, {len(second)} after; "
        f"{added} records added, {removed} removed, {len(changes)} figures changed)"
    )
    assert revised == [(f"load 2 ({tmp_path / 'second.csv'}): {note}",)]
    for measure, types, outcomes in COUNTS:
        assert after[measure] == counted(expected(second, types, outcomes)), measure
    assert run(capsys, "unload", "2")[0] == 0
    assert figures(capsys) == before
    # the revision stays in the month's history, its load marked undone; its facts are gone
    assert scalar(empty, select(Revision.load_id, Revision.replaced_load_id)) == [(2, 1)]
    assert scalar(empty, select(func.count()).select_from(RevisionChange)) == [(len(changes),)]
    assert scalar(empty, select(Load.undone_at.is_not(None)).where(Load.id == 2)) == [(True,)]
    assert facts(empty, 2) == {}


MEASURE = """
[[measure]]
code = "public_order_offences"
tier = "supporting"
title = "Public order offences"
short_title = "Public order"
operations = ["centurion"]
definition = "Public order offences recorded by police.uk, by month and district."
unit = "count"
good_direction = "decrease"
aggregation = "sum"
source = "police.uk street-level data"
policeuk = { crime_types = ["Public order"] }
sources = ["policeuk"]
owner = "Head of Neighbourhood Policing"
"""
TARGET = """
[[target]]
measure = "public_order_offences"
kind = "directional"
rationale = "A test measure."
set_by = "tests"
"""


def test_a_policeuk_measure_needs_configuration_only(store, tmp_path):
    assert "public_order_offences" not in get_catalogue().measure_by_code
    folder = Path(shutil.copytree(PROJECT_ROOT / "config", tmp_path / "config"))
    with (folder / "measures.toml").open("a", encoding="utf-8") as out:
        out.write(MEASURE)
    with (folder / "targets.toml").open("a", encoding="utf-8") as out:
        out.write(TARGET)
    catalogue = load_catalogue(folder)
    rows = [
        *[street(p, "Public order", cid(f"p{i}")) for i, p in enumerate(
            ["burnley", "burnley", "preston", "wyre", "nowhere", "bolton"])],
        street("burnley", ASB),
        street("preston", "Burglary", cid("b")),
    ]  # fmt: skip
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    plan = inspect(write(tmp_path / "street.csv", rows), catalogue=catalogue)
    assert plan.ok, plan.messages()
    load_plan(engine=store.engine, catalogue=catalogue, plan=plan, actor="tests")
    want = expected(rows, {"Public order"})
    stored = select(Crime.crime_type, func.count()).group_by(Crime.crime_type)
    assert dict(scalar(store, stored)) == {"Public order": 6, ASB: 1}  # Burglary: not kept
    with session_scope(store.engine) as session:
        got = {
            level: monthly_values(session=session, level=level, measures=["public_order_offences"])
            for level in ("district", "force")
        }
    district = got["district"]
    assert len(district) == 14
    assert {a: v for a, v in zip(district["area"], district["value"], strict=True) if v} == {
        d: n for d, n in want.items() if d
    }
    assert got["force"]["value"].tolist() == [sum(want.values())] == [6]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Falls within", "Cumbria Constabulary", "'Cumbria Constabulary' is not " + FORCE),
        ("Month", "2024-13", "'2024-13' is not a month in the form YYYY-MM"),
        ("Crime type", "", "missing crime type"),
    ],
)
def test_a_row_that_means_nothing_refuses_the_file(empty, capsys, tmp_path, column, value, message):
    rows = [street("burnley", ASB), street("bad code", SHOP, cid("s")), street("preston", ASB)]
    rows[2][STREET_COLUMNS.index(column)] = value
    path = write(tmp_path / "street.csv", rows)
    with session_scope(empty.engine) as session:
        before = store_counts(session=session)
    status, _, err = run(capsys, "load", path)
    assert status == 1
    assert err.splitlines() == [
        f"{path}:4:{column}: {message}",
        f"{path}: refused (1 problem); nothing was written",
    ]
    with session_scope(empty.engine) as session:
        assert store_counts(session=session) == before


@pytest.mark.usefixtures("empty")
def test_a_republished_month_without_counted_rows_shows_zeros(capsys, tmp_path):
    first = [street("burnley", ASB), street("burnley", SHOP, cid("a")), street("wyre", "Drugs")]
    second = [street("wyre", "Drugs")]  # every ASB and shoplifting row withdrawn
    assert run(capsys, "load", write(tmp_path / "first.csv", first))[0] == 0
    status, out, _ = run(capsys, "load", write(tmp_path / "second.csv", second))
    assert status == 0 and "0 records added, 2 removed" in out
    got = figures(capsys)
    assert got["asb_incidents"] == counted(expected(second, {ASB})) == {None: 0}


def test_a_crime_type_with_spaces_around_it_is_stored_as_counted(empty, capsys, tmp_path):
    """Pass 1 reads trimmed text; pass 2 must keep the same rows, or the load is refused."""
    rows = [street("burnley", f" {ASB}"), street("burnley", f"{SHOP} ", cid("s"))]
    status, _out, err = run(capsys, "load", write(tmp_path / "spaced.csv", rows))
    assert status == 0, err
    assert scalar(empty, select(Crime.crime_type).order_by(Crime.crime_type)) == [(ASB,), (SHOP,)]
    got = figures(capsys)
    assert (got["asb_incidents"]["Burnley"], got["shoplifting_recorded"]["Burnley"]) == (1, 1)


def test_a_revision_counts_only_figures_police_uk_changed(empty, capsys, tmp_path):
    """A monthly return of recorded shoplifting is shown ahead of police.uk: a republished
    month still compares police.uk's own figures, before and after."""
    returns = tmp_path / "return.csv"
    returns.write_text(
        "measure,month,area,breakdown,value,numerator,denominator,note\n"
        "shoplifting_recorded,2024-01,Burnley,,9,,,\n"
    )
    assert run(capsys, "load", returns)[0] == 0
    first = [street("burnley", ASB), street("burnley", SHOP, cid("a"))]
    second = [*first, street("burnley", ASB)]  # one more ASB row in Burnley
    assert run(capsys, "load", write(tmp_path / "first.csv", first))[0] == 0
    status, out, _ = run(capsys, "load", write(tmp_path / "second.csv", second))
    assert status == 0 and "1 record added, 0 removed, 1 figure changed" in out
    changes = scalar(
        empty, select(RevisionChange.measure_code, RevisionChange.before, RevisionChange.after)
    )
    assert changes == [("asb_incidents", 1.0, 2.0)]


def test_a_rate_of_nothing_is_empty_and_its_first_case_is_a_change(empty, capsys, tmp_path):
    first = [street("burnley", ASB)]  # no shoplifting in January: no rate, not 0%
    second = [*first, street("burnley", SHOP, cid("a"), outcome="Suspect charged")]
    assert run(capsys, "load", write(tmp_path / "first.csv", first))[0] == 0
    rate = Observation.measure_code == "shoplifting_positive_outcome_rate"
    burnley = rate & (Observation.area_code == "E07000117")
    assert scalar(empty, select(Observation.value).where(burnley)) == [(None,)]
    status, out, _ = run(capsys, "load", write(tmp_path / "second.csv", second))
    assert status == 0
    # recorded, positive outcomes and the rate change in Burnley
    assert "replaced 60 figures of load 1 (3 changed)" in out
    assert "3 figures changed" in out
