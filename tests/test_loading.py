"""Loading real police.uk files and the force's own files: counts match the raw rows, loads
are idempotent and undoable, sources take their configured priority, demo data give way.

Counts are computed independently in the tests: districts from the ONS LSOA lookup in
../shared/data/lookups (the loader uses the LSOA *name*), crime types and months straight from
the raw rows with pandas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

import manage
from config import get_catalogue
from db.engine import session_scope
from db.history import by_source
from db.queries import store_summary
from db.store import init_store
from tests.conftest import require_shared, store_counts

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
DATA_TABLES = (
    "observations",
    "asb_incidents",
    "crimes",
    "crime_outcomes",
    "load_facts",
    "revisions",
    "revision_changes",
)


def street(month: str) -> Path:
    return require_shared("data", "policeuk", f"{month}-lancashire-street.csv")


def raw(month: str) -> pd.DataFrame:
    frame = pd.read_csv(street(month), dtype=str, keep_default_na=False)
    lookup = pd.read_csv(require_shared("data", "lookups", "lancashire_lsoa_districts.csv"))
    return frame.assign(
        district=frame["LSOA code"].map(dict(zip(lookup.lsoa_code, lookup.district, strict=True)))
    )


def expected_counts(months: list[str]) -> pd.DataFrame:
    """measure, month, district ('unallocated' for the rest) -> count, from the raw rows."""
    positive = get_catalogue().outcomes["shoplifting_positive"].is_positive
    parts = []
    for month in months:
        rows = raw(month).fillna({"district": "unallocated"})
        asb = rows[rows["Crime type"] == "Anti-social behaviour"]
        shop = rows[rows["Crime type"] == "Shoplifting"]
        good = shop[shop["Last outcome category"].map(positive)]
        for code, subset in (
            ("asb_incidents", asb),
            ("shoplifting_recorded", shop),
            ("shoplifting_positive_outcomes", good),
        ):
            counts = subset.groupby("district").size().rename("expected").reset_index()
            parts.append(counts.assign(measure=code, month=month))
    return pd.concat(parts, ignore_index=True)


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = manage.main([str(a) for a in args])
    out = capsys.readouterr()
    return status, out.out, out.err


def export(capsys, level: str) -> pd.DataFrame:
    status, out, _ = run(capsys, "export", "--level", level)
    assert status == 0
    return pd.read_csv(io.StringIO(out), dtype={"month": str})


def counts(store) -> dict[str, int]:
    with session_scope(store.engine) as session:
        return store_counts(session=session)


@pytest.fixture
def empty(store, use_store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    use_store(store)
    return store


@pytest.mark.usefixtures("empty")
def test_police_uk_counts_match_the_raw_rows(capsys):
    status, _out, err = run(capsys, "load", *(street(m) for m in MONTHS))
    assert (status, err) == (0, "")
    expected = expected_counts(MONTHS)
    district = export(capsys, "district")
    got = district.merge(
        expected.rename(columns={"district": "area"}), on=["measure", "area", "month"], how="left"
    )
    got = got[got["measure"].isin(expected["measure"].unique())].fillna({"expected": 0})
    assert len(got) == 3 * 14 * 4
    assert (got["value"] == got["expected"]).all(), got[got["value"] != got["expected"]]
    force = export(capsys, "force").set_index(["measure", "month"])["value"]
    totals = expected.groupby(["measure", "month"])["expected"].sum()
    for (measure, month), total in totals.items():
        assert force[(measure, month)] == total, (measure, month)
    # force totals equal the file's own rows, the unallocated ones included
    assert force[("asb_incidents", "2024-01")] == 3390
    assert force[("shoplifting_recorded", "2024-01")] == 829
    assert force[("shoplifting_positive_outcomes", "2024-01")] == 217


@pytest.mark.parametrize(
    ("month", "asb", "shoplifting", "unallocated"),
    [("2024-01", 3390, 829, 461), ("2024-02", 3384, 891, 465), ("2024-03", 3960, 980, 528),
     ("2024-04", 4472, 1007, 526)],
)  # fmt: skip
@pytest.mark.usefixtures("empty")
def test_load_summary_counts_the_unallocated_rows(capsys, month, asb, shoplifting, unallocated):
    rows = raw(month)
    assert rows["district"].isna().sum() == unallocated  # independently: not in the lookup
    status, out, _ = run(capsys, "load", street(month))
    assert status == 0
    assert f"Anti-social behaviour rows: {asb:,};" in out
    assert f"Shoplifting rows: {shoplifting:,};" in out
    assert (
        f"rows with no location or outside the districts (force totals only): {unallocated:,};"
        in out
    )


def test_loading_a_file_twice_changes_nothing_and_says_so(empty, capsys):
    assert run(capsys, "load", street("2024-01"))[0] == 0
    before = counts(empty)
    status, out, _ = run(capsys, "load", street("2024-01"))
    assert status == 0
    assert "already loaded (load 1, the same bytes); nothing changed" in out
    assert counts(empty) == before


@pytest.mark.usefixtures("empty")
def test_a_month_loaded_twice_never_double_counts_and_undo_restores(capsys, tmp_path):
    assert run(capsys, "load", street("2024-01"))[0] == 0
    first = export(capsys, "force")
    # a re-published January: same month, some ASB rows withdrawn
    lines = street("2024-01").read_text(encoding="utf-8").splitlines(keepends=True)
    asb = [i for i, line in enumerate(lines) if ",Anti-social behaviour," in line]
    corrected = tmp_path / "2024-01-lancashire-street.csv"
    corrected.write_text("".join(x for i, x in enumerate(lines) if i not in asb[:100]), "utf-8")
    status, out, _ = run(capsys, "load", corrected)
    assert status == 0
    assert "replaced 60 figures of load 1" in out
    second = export(capsys, "force").set_index(["measure", "month"])["value"]
    assert second[("asb_incidents", "2024-01")] == 3390 - 100
    assert second[("shoplifting_recorded", "2024-01")] == 829
    assert run(capsys, "unload", "2")[0] == 0
    pd.testing.assert_frame_equal(export(capsys, "force"), first)


def test_unload_removes_exactly_what_the_load_added(empty, capsys):
    before = counts(empty)
    assert run(capsys, "load", street("2024-01"), street("2024-02"))[0] == 0
    assert counts(empty)["crimes"] == 829 + 891 + 3390 + 3384  # shoplifting and ASB rows
    status, _, err = run(capsys, "unload", "1")
    assert status == 0, err
    assert run(capsys, "unload", "2")[0] == 0
    after = counts(empty)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}
    status, out, _ = run(capsys, "loads")
    history = pd.read_csv(io.StringIO(out))
    assert history["id"].tolist() == [2, 1]
    assert history["undone_at"].notna().all()
    status, _, err = run(capsys, "unload", "1")
    assert (status, "already undone" in err) == (1, True)


@pytest.mark.usefixtures("empty")
def test_outcomes_file_updates_last_outcomes_and_undo_restores(capsys, tmp_path):
    assert run(capsys, "load", street("2024-01"))[0] == 0
    before = export(capsys, "force").set_index(["measure", "month"])["value"]
    rows = raw("2024-01")
    shop = rows[
        (rows["Crime type"] == "Shoplifting")
        & (rows["Last outcome category"] == "Under investigation")
    ]
    chosen = shop.head(25)
    outcomes = tmp_path / "2024-03-lancashire-outcomes.csv"
    from ingest.policeuk import OUTCOME_COLUMNS

    with outcomes.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(OUTCOME_COLUMNS)
        for r in chosen.itertuples(index=False):
            writer.writerow(
                [
                    r[0],
                    "2024-03",
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    "Offender given a caution",
                ]
            )
        writer.writerow(["f" * 64, "2024-03", *r[2:9], "Suspect charged"])  # not in the store
    status, out, err = run(capsys, "load", outcomes)
    assert status == 0, err
    assert "crimes in the store given an outcome: 25;" in out
    after = export(capsys, "force").set_index(["measure", "month"])["value"]
    assert (
        after[("shoplifting_positive_outcomes", "2024-01")]
        == before[("shoplifting_positive_outcomes", "2024-01")] + 25
    )
    assert after[("shoplifting_recorded", "2024-01")] == 829
    status, _, err = run(capsys, "unload", "1")
    assert status == 1 and "undo those first" in err  # the outcomes load builds on it
    assert run(capsys, "unload", "2")[0] == 0
    restored = export(capsys, "force").set_index(["measure", "month"])["value"]
    pd.testing.assert_series_equal(restored, before)


def incident_file(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """An incident extract: (reference, occurred_at, district) with fixed other columns."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "reference",
                "occurred_at",
                "district",
                "category",
                "vehicle_involved",
                "repeat_victim",
                "vulnerable_victim",
                "channel",
            ]
        )
        for ref, at, district in rows:
            writer.writerow([ref, at, district, "nuisance", "Y", "N", "N", "101"])
    return path


def test_source_priority_shows_the_force_extract_and_keeps_both(empty, capsys, tmp_path):
    assert run(capsys, "load", street("2024-01"))[0] == 0
    extract = incident_file(
        tmp_path / "incidents.csv",
        [
            (f"ASB/{i:05d}", f"2024-01-{1 + i % 28:02d} 18:{i % 60:02d}", "Burnley")
            for i in range(40)
        ]
        + [("ASB/90000", "2024-02-03 21:15", "Preston")],
    )
    status, _out, err = run(capsys, "load", extract)
    assert status == 0, err
    force = export(capsys, "force").set_index(["measure", "month"])["value"]
    assert force[("asb_incidents", "2024-01")] == 40  # the extract outranks police.uk
    assert force[("asb_vehicle_incidents", "2024-01")] == 40
    assert force[("asb_incidents", "2024-02")] == 1
    with session_scope(empty.engine) as session:
        both = by_source(
            session=session,
            measure="asb_incidents",
            aggregation="sum",
            start=pd.Timestamp("2024-01-01").date(),
            end=pd.Timestamp("2024-01-01").date(),
        )
    assert both[["source", "value", "shown"]].values.tolist() == [
        ["incidents", 40.0, True],
        ["policeuk", 3390.0, False],
    ]
    assert run(capsys, "unload", "2")[0] == 0
    assert (
        export(capsys, "force").set_index(["measure", "month"])["value"][
            ("asb_incidents", "2024-01")
        ]
        == 3390
    )


def test_first_real_load_removes_the_demo_and_says_so(store, use_store, capsys, tmp_path):
    from demo import load_demo

    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    load_demo(engine=store.engine, catalogue=catalogue, seed=3, actor="tests")
    use_store(store)
    returns = tmp_path / "returns.csv"
    returns.write_text("measure,month,area,value\nhotspot_patrol_hours,2025-06,Burnley,120\n")
    status, out, _ = run(capsys, "load", returns)
    assert status == 0
    assert "The demonstration data were removed" in out
    with session_scope(store.engine) as session:
        summary = store_summary(session=session)
        assert (summary.has_demo, summary.has_real, summary.observations) == (False, True, 1)
        assert store_counts(session=session)["asb_incidents"] == 0
    status, _, err = run(capsys, "demo")
    assert status == 1 and "real loads" in err


@pytest.mark.usefixtures("empty")
def test_corrected_return_replaces_and_undo_restores(capsys, tmp_path):
    first = tmp_path / "june.csv"
    first.write_text(
        "measure,month,area,breakdown,value,numerator,denominator,note\n"
        "hotspot_patrol_hours,2025-06,Burnley,,120,,,\n"
        "public_confidence,2025-06,Preston,,,30,50,\n"
        "enforcement_actions,2025-06,Wyre,Arrest,4,,,\n"
        "enforcement_actions,2025-06,Wyre,Warning,3,,,\n"
    )
    assert run(capsys, "load", first)[0] == 0
    district = export(capsys, "district").set_index(["measure", "area", "month"])
    assert district.loc[("hotspot_patrol_hours", "Burnley", "2025-06"), "value"] == 120
    assert district.loc[("public_confidence", "Preston", "2025-06"), "value"] == 60
    assert district.loc[("enforcement_actions", "Wyre", "2025-06"), "value"] == 7  # total derived
    corrected = tmp_path / "june-corrected.csv"
    corrected.write_text(
        "measure,month,area,value,note\nhotspot_patrol_hours,2025-06,Burnley,135,late GPS upload\n"
    )
    status, out, _ = run(capsys, "load", corrected)
    assert status == 0
    assert "replaced 1 figure of load 1 (1 changed)" in out
    district = export(capsys, "district").set_index(["measure", "area", "month"])
    assert district.loc[("hotspot_patrol_hours", "Burnley", "2025-06"), "value"] == 135
    assert run(capsys, "unload", "2")[0] == 0
    district = export(capsys, "district").set_index(["measure", "area", "month"])
    assert district.loc[("hotspot_patrol_hours", "Burnley", "2025-06"), "value"] == 120


@pytest.mark.parametrize("district", ["Nowhere", "Preston"], ids=["now invalid", "still valid"])
def test_a_file_changed_between_check_and_load_writes_nothing(empty, tmp_path, district):
    from ingest import FileChanged, inspect
    from ingest.load import load_plan

    path = incident_file(tmp_path / "incidents.csv", [("ASB/1", "2025-06-01 18:30", "Burnley")])
    plan = inspect(path, catalogue=get_catalogue())
    assert plan.ok
    before = counts(empty)
    incident_file(path, [("ASB/1", "2025-06-01 18:30", district)])
    with pytest.raises(FileChanged, match="changed after it was checked"):
        load_plan(engine=empty.engine, catalogue=get_catalogue(), plan=plan, actor="tests")
    assert counts(empty) == before


@pytest.mark.usefixtures("empty")
def test_outcomes_for_crimes_not_loaded_change_no_figures(capsys, tmp_path):
    from ingest.policeuk import OUTCOME_COLUMNS

    path = tmp_path / "outcomes.csv"
    row = ["e" * 64, "2024-03", "Lancashire Constabulary", "Lancashire Constabulary", "", "", "",
           "", "", "Suspect charged"]  # fmt: skip
    path.write_text(",".join(OUTCOME_COLUMNS) + "\n" + ",".join(row) + "\n")
    status, out, err = run(capsys, "load", path)
    assert status == 0, err
    assert "crimes in the store given an outcome: 0; monthly figures written: 0." in out


@pytest.mark.usefixtures("empty")
def test_repeated_crime_ids_load_as_published_and_outcomes_apply_to_each_row(capsys, tmp_path):
    """police.uk files can repeat a Crime ID (a repeated row; two crime types sharing an ID,
    one of them without a location). Every row is kept, as police.uk counts rows, the load
    summary counts the repeats, and an outcome for a repeated ID applies to each of its rows."""
    from ingest.policeuk import OUTCOME_COLUMNS, STREET_COLUMNS

    force = "Lancashire Constabulary"
    blackburn = ["-2.46", "53.76", "On or near X", "E01012607", "Blackburn with Darwen 001A"]
    burnley = ["-2.24", "53.79", "On or near Y", "E01024700", "Burnley 005B"]
    nowhere = ["", "", "No location", "", ""]
    crime_x, crime_y, crime_z = "a" * 64, "b" * 64, "c" * 64
    street_rows = [
        [crime_x, *blackburn, "Shoplifting"],
        [crime_x, *blackburn, "Shoplifting"],  # the same row published twice
        [crime_y, *burnley, "Shoplifting"],
        [crime_y, *nowhere, "Other theft"],  # another crime type sharing the ID
        [crime_z, *nowhere, "Shoplifting"],  # no location: unallocated
    ]
    path = tmp_path / "2024-01-lancashire-street.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(STREET_COLUMNS)
        for crime_id, *place, crime_type in street_rows:
            writer.writerow(
                [crime_id, "2024-01", force, force, *place, crime_type, "Under investigation", ""]
            )
    status, out, err = run(capsys, "load", path)
    assert status == 0, err
    # the repeated row, and the Other theft row sharing Y's ID
    assert "rows repeating an earlier Crime ID (kept: police.uk counts rows): 2" in out
    assert "Shoplifting rows: 4" in out
    recorded = export(capsys, "district").query("measure == 'shoplifting_recorded'")
    by_area = dict(zip(recorded["area"], recorded["value"], strict=True))
    assert (by_area["Blackburn with Darwen"], by_area["Burnley"]) == (2, 1)
    totals = export(capsys, "force").set_index("measure")["value"]
    assert totals["shoplifting_recorded"] == 4  # the file's four shoplifting rows
    assert totals["shoplifting_positive_outcomes"] == 0

    outcomes = tmp_path / "2024-02-lancashire-outcomes.csv"
    with outcomes.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(OUTCOME_COLUMNS)
        writer.writerow([crime_x, "2024-02", force, force, *blackburn, "Offender given a caution"])
    assert run(capsys, "load", outcomes)[0] == 0
    positive = export(capsys, "district").query("measure == 'shoplifting_positive_outcomes'")
    by_area = dict(zip(positive["area"], positive["value"], strict=True))
    assert (by_area["Blackburn with Darwen"], by_area["Burnley"]) == (2, 0)  # both rows of X
