"""Dip-sampling through the store and `manage.py sample`, on SQLite and PostgreSQL: draws that
repeat from their seed, shares as asked, the review sheet round-tripped through Excel, and
every kind of bad sheet refused with nothing changed."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import manage
from config import get_catalogue
from config.dipsampling import Allocation
from db.dipsamples import Population, population
from db.engine import session_scope
from db.models import AuditEntry
from db.store import init_store
from ingest import inspect
from ingest.load import load_plan
from metrics.sampling import allocate, draw
from tests.conftest import store_counts

DISTRICTS = {"Burnley": 40, "Pendle": 25, "Preston": 60, "Wyre": 15}  # incidents a month
CATEGORIES = ("nuisance", "personal", "environmental")


def extract(path: Path) -> Path:
    """Two months of incidents in four districts; every third is a repeat victim."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["reference", "occurred_at", "district", "category", "vehicle_involved",
             "repeat_victim", "vulnerable_victim", "channel"]
        )  # fmt: skip
        n = 0
        for month in ("2025-01", "2025-02"):
            for district, count in DISTRICTS.items():
                for i in range(count):
                    n += 1
                    writer.writerow(
                        [f"INC/{n:05d}", f"{month}-{1 + i % 28:02d} {i % 24:02d}:15", district,
                         CATEGORIES[n % 3], "N", "Y" if n % 3 == 0 else "N", "N", "101"]
                    )  # fmt: skip
    return path


@pytest.fixture
def loaded(store, use_store, tmp_path):
    """A store holding the extract, loaded without scoring it (samples need no scores)."""
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    plan = inspect(extract(tmp_path / "incidents.csv"), catalogue=catalogue)
    load_plan(engine=store.engine, catalogue=catalogue, plan=plan, actor="tests")
    plan.close()
    use_store(store)
    return store


def run(capsys, *args) -> tuple[int, str, str]:
    code = manage.main(["sample", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def stored_cases(store, sample_id: int) -> list[str]:
    from db.dipsamples import cases

    with session_scope(store.engine) as session:
        return cases(session=session, sample_id=sample_id)["reference"].tolist()


def codes(*names: str) -> tuple[str, ...]:
    by_name = {d.name: d.ons_code for d in get_catalogue().geography.district}
    return tuple(by_name[n] for n in names)


def test_a_seed_draws_the_cases_pandas_draws_from_the_same_population(loaded, capsys):
    code, out, _ = run(capsys, "draw", "--from", "2025-01", "--to", "2025-02", "--size", 20,
                       "--seed", 42)  # fmt: skip
    assert code == 0
    assert out == (
        "Drew sample 1: 20 of 280 incidents (seed 42): Burnley 6, Pendle 4, Preston 8, Wyre 2.\n"
    )
    # the same draw in pandas from the file's rows: equal on SQLite and PostgreSQL alike
    with session_scope(loaded.engine) as session:
        every = population(
            session=session,
            of=Population(date(2025, 1, 1), date(2025, 2, 1), codes(*DISTRICTS)),
        )
    shares = allocate(every.groupby("district_code").size(), 20, method=Allocation.PROPORTIONAL)
    expected = draw(every.sample(frac=1, random_state=3), shares, seed=42)["reference"].tolist()
    assert stored_cases(loaded, 1) == expected


@pytest.mark.parametrize(
    ("again", "refused"),
    [
        (["--size", 20, "--seed", 42], True),  # the same draw
        (["--size", 30, "--seed", 42], True),  # the same seed and filters, another size
        (["--precision", 0.2, "--seed", 42], True),  # another design: still the same cases
        (["--size", 20, "--seed", 43], False),  # another seed
        (["--size", 20, "--seed", 42, "--flag", "repeat_victim"], False),  # another filter
        (["--size", 20, "--seed", 42, "--area", "East"], False),
        (["--size", 20, "--seed", 42, "--to", "2025-01"], False),  # other months
    ],
)
def test_a_draw_repeating_a_seed_and_filters_is_refused(loaded, capsys, again, refused):
    first = ["--from", "2025-01", "--to", "2025-02", "--size", 20, "--seed", 42]
    assert run(capsys, "draw", *first)[0] == 0
    args = ["--from", "2025-01", *(["--to", "2025-02"] if "--to" not in again else []), *again]
    code, out, err = run(capsys, "draw", *args)
    if refused:
        assert code == 1 and out == ""
        assert err == (
            "Refused: sample 1 was drawn with seed 42 from the same months, areas, categories "
            "and flags: the same seed would draw the same cases again. Choose another seed "
            "(or none), or review sample 1.\n"
        )
        with session_scope(loaded.engine) as session:  # nothing stored, nothing audited
            assert store_counts(session=session)["dip_samples"] == 1
    else:
        assert code == 0 and out.startswith("Drew sample 2: ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--area", "East", "--size", 12, "--allocation", "equal"], "Burnley 6, Pendle 6"),
        (["--area", "Preston", "--area", "Wyre", "--size", 15], "Preston 12, Wyre 3"),
        (["--flag", "repeat_victim", "--category", "nuisance", "--size", 1000], None),
        (
            ["--margin", 0.05],
            "53 of 280 incidents (seed 1): Burnley 15, Pendle 9, Preston 23, Wyre 6",
        ),
        (  # the estimate design (the default): each district sized for +/-15 points
            [],
            "98 of 280 incidents (seed 1): Burnley 27, Pendle 23, Preston 30, Wyre 18",
        ),
        (
            ["--precision", 0.1, "--area", "Wyre"],
            "23 of 30 incidents (seed 1): Wyre 23",
        ),
    ],
)
def test_shares_follow_the_areas_filters_and_allocation_asked(loaded, capsys, args, expected):
    code, out, _ = run(capsys, "draw", "--from", "2025-01", "--to", "2025-02", *args,
                       "--seed", 1)  # fmt: skip
    assert code == 0
    if expected is None:  # every third incident is a repeat victim, and all are nuisance
        assert "Drew sample 1: 93 of 93 incidents" in out
        drawn = stored_cases(loaded, 1)
        assert all(int(r.removeprefix("INC/")) % 3 == 0 for r in drawn) and len(drawn) == 93
    else:
        assert out.rstrip(".\n").endswith(expected)


def fill(path: Path, answers: dict[tuple[int, str], str], out: Path) -> Path:
    """Write answers into an exported sheet: {(case row, column): value}."""
    book = load_workbook(path)
    sheet = book["Review"]
    header = [c.value for c in sheet[1]]
    for (row, column), value in answers.items():
        sheet.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(out)
    return out


def test_a_review_round_trips_through_excel_and_gives_exact_compliance(loaded, capsys, tmp_path):
    assert run(capsys, "draw", "--from", "2025-01", "--to", "2025-01", "--area", "Wyre",
               "--size", 5, "--seed", 9)[0] == 0  # fmt: skip
    sheet = tmp_path / "sample.xlsx"
    assert run(capsys, "export", 1, "--out", sheet)[0] == 0
    answers = {(r, "risk_assessed"): "yes" for r in range(2, 6)}
    answers[(6, "risk_assessed")] = "No"
    answers[(6, "risk_assessed note")] = "no risk form on file"
    answers[(2, "contacted_in_time")] = "n/a"
    answers[(2, "verdict")] = "appropriate_with_observations"
    filled = fill(sheet, answers, tmp_path / "filled.xlsx")
    code, out, err = run(capsys, "import", filled)
    assert (code, err) == (0, "")
    assert out == "Sample 1: 7 answer(s) recorded from filled.xlsx.\n"
    assert run(capsys, "import", filled)[1] == "Sample 1: 0 answer(s) recorded from filled.xlsx.\n"
    again = tmp_path / "again.xlsx"
    assert run(capsys, "export", 1, "--out", again)[0] == 0
    reread = load_workbook(again)["Review"]
    header = [c.value for c in reread[1]]
    assert reread.cell(6, header.index("risk_assessed note") + 1).value == "no risk form on file"
    code, out, _ = run(capsys, "report", 1)
    table = pd.read_csv(pd.io.common.StringIO(out))
    risk = table[(table["question"] == "risk_assessed")].set_index("area")
    assert risk.loc["Wyre", ["yes", "no", "answered"]].tolist() == [4, 1, 5]
    assert risk.loc["Wyre", "rate"] == 80.0
    # Wilson 95% of 4 in 5 (37.6% to 96.4%), with z^2 scaled by the finite population
    # correction (15 - 5) / (15 - 1): 5 cases are a third of Wyre's 15 incidents
    assert (risk.loc["Wyre", "low"], risk.loc["Wyre", "high"]) == (43.2947, 95.4454)
    assert set(table["area"]) == {"Wyre"}  # a sample of Wyre alone says nothing of West
    assert set(table["demonstration"]) == {False}
    assert not risk.loc["Wyre", "comparable"]  # fewer than 10 answered
    contact = table[table["question"] == "contacted_in_time"].set_index("area")
    assert contact.loc["Wyre", ["not_applicable", "answered"]].tolist() == [1, 0]
    with session_scope(loaded.engine) as session:
        actions = session.query(AuditEntry.action).all()
    assert [a for (a,) in actions if a.startswith("sample")] == ["sample drawn", "sample reviewed"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({(2, "risk_assessed"): "maybe"}, "Review.xlsx:2:risk_assessed: 'maybe' is not one of"),
        ({(2, "verdict"): "fine"}, "Review.xlsx:2:verdict: 'fine' is not one of"),
        ({(2, "risk_assessed note"): "why"}, "Review.xlsx:2:risk_assessed: a note without"),
        ({(2, "case"): 99}, "Review.xlsx:2:case: no case '99' in sample 1"),
        ({(2, "reference"): "INC/99999"}, "Review.xlsx:2:reference: case 1 is"),
        ({(2, "sample"): 7, (3, "sample"): 7, (4, "sample"): 7}, "no dip sample 7 in the store"),
        ({(2, "sample"): 7}, "Review.xlsx:2:sample: one sample number per sheet, found '1', '7'"),
        ({(1, "verdict note"): "comments"}, "Review.xlsx:1:(header): not the header of sample 1"),
    ],
)
def test_a_bad_sheet_is_refused_and_changes_nothing(loaded, capsys, tmp_path, answers, message):
    assert run(capsys, "draw", "--from", "2025-01", "--to", "2025-01", "--area", "Wyre",
               "--size", 3, "--seed", 9)[0] == 0  # fmt: skip
    sheet = tmp_path / "sample.xlsx"
    assert run(capsys, "export", 1, "--out", sheet)[0] == 0
    good = {(r, "risk_assessed"): "yes" for r in (3, 4)}
    filled = fill(sheet, {**good, **answers}, tmp_path / "Review.xlsx")
    with session_scope(loaded.engine) as session:
        before = store_counts(session=session)
    code, out, err = run(capsys, "import", filled)
    assert code == 1 and out == ""
    assert message in err
    assert err.endswith("Review.xlsx: refused; nothing was recorded.\n")
    with session_scope(loaded.engine) as session:
        assert store_counts(session=session) == before


@pytest.mark.usefixtures("loaded")
def test_not_a_workbook_is_refused(capsys, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("reference,answer\n")
    code, _, err = run(capsys, "import", bad)
    assert code == 1 and err.startswith("notes.xlsx:1:(file): not a readable Excel .xlsx workbook")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "Atlantis", "--size", 5], "unknown area 'Atlantis'"),
        (["--category", "noise", "--size", 5], "unknown category 'noise'"),
        (["--size", 0], "--size must be at least 1"),
        (["--margin", 0.7], "--margin must be between 0 and 0.5"),
        (["--precision", 0], "--precision must be above 0 and at most 0.5"),
        (["--precision", 0.1, "--size", 5], "not allowed with argument"),
        (["--size", 5, "--margin", 0.05], "not allowed with argument"),
    ],
)
@pytest.mark.usefixtures("loaded")
def test_draw_arguments_are_checked(capsys, args, message):
    with pytest.raises(SystemExit) as exited:
        run(capsys, "draw", "--from", "2025-01", "--to", "2025-02", *args)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("action", ["draw", "export", "import", "report"])
def test_every_sample_action_has_help(capsys, action):
    with pytest.raises(SystemExit) as exited:
        manage.main(["sample", action, "--help"])
    assert exited.value.code == 0
    assert f"usage: manage.py sample {action}" in capsys.readouterr().out


def sample_of(id_, first, last, *, seed=1, districts=("A", "B"), flags=(), questions=None):
    """A stored sample as `db.dipsamples.Sample`, built by hand."""
    from datetime import datetime

    from db.dipsamples import Sample

    return Sample(
        id=id_,
        drawn_at=datetime(2026, 1, id_),
        drawn_by="tests",
        seed=seed,
        first_month=date.fromisoformat(first + "-01"),
        last_month=date.fromisoformat(last + "-01"),
        parameters={"districts": list(districts), "categories": [], "flags": list(flags)},
        population=100,
        size=10,
        questions=questions or {"q": "Question"},
        is_demo=False,
    )


def test_a_trend_joins_only_comparable_samples_by_the_months_sampled():
    from dipsampling.trend import comparable, reworded

    shown = sample_of(7, "2025-07", "2025-09", seed=3)
    samples = [
        shown,
        sample_of(2, "2025-04", "2025-06", seed=1),  # an earlier quarter: joined
        sample_of(6, "2025-01", "2025-03", seed=2),  # drawn later, sampled earlier: first
        sample_of(3, "2025-04", "2025-06", seed=1),  # the same seed and months as 2: a repeat
        sample_of(4, "2025-04", "2025-06", seed=1, districts=("A",)),  # one district only
        sample_of(5, "2025-04", "2025-06", seed=9, flags=("vulnerable_victim",)),
        sample_of(8, "2025-01", "2025-06", seed=4),  # six months, not three
        sample_of(9, "2024-10", "2024-12", seed=5, questions={"q": "Other words"}),
    ]
    kept, left = comparable(samples, shown)
    assert [s.id for s in kept] == [9, 6, 2, 7]  # by the months sampled, not by number
    why = {e.sample.id: (e.differs, e.repeats) for e in left}
    assert why == {
        3: ((), 2),
        4: (("districts",), None),
        5: (("flags",), None),
        8: (("months",), None),
    }
    assert reworded(samples[-1], shown) == ("q",) and reworded(samples[1], shown) == ()
