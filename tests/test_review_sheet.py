"""The review sheet as a panel member meets it (issue 25): allowed values listed and enforced
with drop-downs, the page's verdict words accepted, reviewer and day columns, the case columns
locked, stored text that looks like a formula written as text; and every bad sheet refused
with each problem named by file, row and column, all together, with nothing recorded."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from db import dipsamples
from db.engine import session_scope
from db.models import AuditEntry
from dipsampling import sheets
from tests.conftest import store_counts
from tests.test_dipsampling import fill, loaded, run  # noqa: F401 (the store of four districts)

WORDS = "Appropriate with observations"  # the page's words for appropriate_with_observations


@pytest.fixture
def sheet(loaded, capsys, tmp_path) -> Path:  # noqa: F811, ARG001 (`loaded`: its store in use)
    """The exported sheet of a sample of 3 Wyre cases (rows 2-4)."""
    assert run(capsys, "draw", "--from", "2025-01", "--to", "2025-01", "--area", "Wyre",
               "--size", 3, "--seed", 9)[0] == 0  # fmt: skip
    out = tmp_path / "sample.xlsx"
    assert run(capsys, "export", 1, "--out", out)[0] == 0
    return out


def references(store) -> list[str]:
    with session_scope(store.engine) as session:
        return dipsamples.cases(session=session, sample_id=1)["reference"].tolist()


def stored(store) -> pd.DataFrame:
    with session_scope(store.engine) as session:
        return dipsamples.answers(session=session, sample_ids=[1])


TOMORROW = date.today() + timedelta(days=1)
BAD = [  # (cells, the message expected on stderr)
    ({(2, "risk_assessed"): "=1+1"},
     "Review.xlsx:2:risk_assessed: a formula ('=1+1' (a spreadsheet formula?)) is not allowed"),
    ({(2, "verdict note"): '=HYPERLINK("http://x","click")', (2, "verdict"): "appropriate"},
     "Review.xlsx:2:verdict note: a formula"),
    ({(3, "case"): 1, (3, "reference"): "REF1"},
     "Review.xlsx:3:case: case 1 is on two rows, Review.xlsx:2 and Review.xlsx:3"),
    ({(2, "district"): "Burnley"},
     "Review.xlsx:2:district: case 1's district is 'Wyre', not 'Burnley': the case columns"),
    ({(2, "month"): "2025-02"}, "Review.xlsx:2:month: case 1's month is '2025-01', not '2025-02'"),
    ({(2, "category"): "other"}, "Review.xlsx:2:category: case 1's category is"),
    ({(2, "verdict"): "Fine"}, "Review.xlsx:2:verdict: 'Fine' is not one of ['Appropriate', "),
    ({(2, "reviewed on"): "last week"},
     "Review.xlsx:2:reviewed on: 'last week' is not a date: give the day as a date"),
    ({(2, "reviewed on"): datetime.combine(TOMORROW, datetime.min.time())},
     f"Review.xlsx:2:reviewed on: {TOMORROW} is in the future"),
    ({(2, "reviewed on"): datetime(2020, 1, 1)},
     "Review.xlsx:2:reviewed on: 2020-01-01 is before the sample was drawn"),
    ({(2, "reviewer"): "x" * 121}, "Review.xlsx:2:reviewer: a reviewer of 121 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "message"), BAD)
def test_each_bad_cell_is_named_and_nothing_is_recorded(
    loaded,  # noqa: F811
    sheet,
    capsys,
    tmp_path,
    cells,
    message,
):
    first = references(loaded)[0]
    cells = {k: first if v == "REF1" else v for k, v in cells.items()}
    good = {(r, "risk_assessed"): "yes" for r in (2, 3, 4)}
    filled = fill(sheet, {**good, **cells}, tmp_path / "Review.xlsx")
    with session_scope(loaded.engine) as session:
        before = store_counts(session=session)
    code, out, err = run(capsys, "import", filled)
    assert (code, out) == (1, "")
    assert message in err, err
    assert err.endswith("Review.xlsx: refused; nothing was recorded.\n")
    with session_scope(loaded.engine) as session:
        assert store_counts(session=session) == before


@pytest.mark.usefixtures("loaded")
def test_every_problem_is_reported_together(sheet, capsys, tmp_path):
    cells = {(2, "risk_assessed"): "=A1", (3, "district"): "Preston", (4, "verdict"): "good"}
    code, _, err = run(capsys, "import", fill(sheet, cells, tmp_path / "Review.xlsx"))
    assert code == 1
    lines = err.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "Review.xlsx:2:risk_assessed",
        "Review.xlsx:3:district",
        "Review.xlsx:4:verdict",
    ]


def test_a_repeated_case_no_longer_overwrites_the_first_reviewers_answers(
    loaded,  # noqa: F811
    sheet,
    capsys,
    tmp_path,
):
    """The issue's case: row 3 repeats case 1 with other answers (it was recorded, exit 0)."""
    first = references(loaded)[0]
    cells = {(2, "risk_assessed"): "yes", (3, "case"): 1, (3, "reference"): first,
             (3, "risk_assessed"): "no"}  # fmt: skip
    code, out, err = run(capsys, "import", fill(sheet, cells, tmp_path / "Review.xlsx"))
    assert (code, out) == (1, "")
    assert "Review.xlsx:3:case: case 1 is on two rows, Review.xlsx:2 and Review.xlsx:3" in err
    assert stored(loaded).empty


def test_the_sheet_lists_and_enforces_the_allowed_values(sheet):
    book = load_workbook(sheet)
    review = book["Review"]
    header = [c.value for c in review[1]]
    assert header[-4:] == ["verdict", "verdict note", "reviewer", "reviewed on"]
    rules = review.data_validations.dataValidation
    guide = book["How to fill in"]
    listed = [row[0] for row in guide.iter_rows(values_only=True) if row]

    def letter(name: str) -> str:
        return review.cell(1, header.index(name) + 1).column_letter

    by_column = {str(ref)[0]: rule for rule in rules for ref in rule.sqref.ranges}
    for code in ("risk_assessed", "closure_rationale"):
        rule = by_column[letter(code)]
        assert rule.type == "list" and not rule.showDropDown  # (False: the arrow is shown)
        cells = _range(guide, rule.formula1)
        assert cells == ["yes", "no", "n/a"]
    verdict = by_column[letter("verdict")]
    assert _range(guide, verdict.formula1) == [
        "Appropriate",
        WORDS,
        "Inappropriate",
        "Panel unable to agree",
    ]
    assert by_column[letter("reviewed on")].type == "date"
    assert by_column[letter("reviewer")].type == "textLength"
    assert "verdict (choose the words)" in listed
    assert all(rule.showErrorMessage for rule in rules)


def _range(guide, formula: str) -> list[str]:
    """The values of a drop-down's list ("'How to fill in'!$A$20:$A$22")."""
    cells = formula.split("!")[1].replace("$", "")
    return [c.value for (c,) in guide[cells]]


def test_the_case_columns_are_locked_and_the_answers_open(sheet):
    review = load_workbook(sheet)["Review"]
    header = [c.value for c in review[1]]
    assert review.protection.sheet is True
    for name in ("sample", "case", "reference", "month", "district", "category"):
        assert review.cell(2, header.index(name) + 1).protection.locked, name
    for name in ("risk_assessed", "risk_assessed note", "verdict", "reviewer", "reviewed on"):
        assert not review.cell(3, header.index(name) + 1).protection.locked, name


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://example.org","open")', "+44 1772", "-1 day late", "@home"]
)
def test_stored_text_that_looks_like_a_formula_is_written_as_text(loaded, sheet, capsys, note):  # noqa: F811
    with session_scope(loaded.engine) as session:
        case_id = int(dipsamples.cases(session=session, sample_id=1)["case_id"].iloc[0])
        given = pd.DataFrame(
            [(case_id, "risk_assessed", "no", note)],
            columns=["case_id", "question", "answer", "note"],
        )
        dipsamples.save_answers(session=session, actor="tests", sample_id=1, given=given)
    assert run(capsys, "export", 1, "--out", sheet)[0] == 0
    review = load_workbook(sheet)["Review"]
    header = [c.value for c in review[1]]
    cell = review.cell(2, header.index("risk_assessed note") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (note, "s", True)
    code, out, _ = run(capsys, "import", sheet)  # read back exactly as stored: nothing changes
    assert (code, out) == (0, "Sample 1: 0 answer(s) recorded from sample.xlsx.\n")


def test_the_verdict_words_reviewer_and_day_are_recorded(loaded, sheet, capsys, tmp_path):  # noqa: F811
    cells = {
        (2, "verdict"): WORDS,
        (3, "verdict"): WORDS.lower(),
        (4, "verdict"): "inappropriate",  # the code is accepted too
        (2, "reviewer"): "Panel member A",
        (2, "reviewed on"): datetime.combine(date.today(), datetime.min.time()),
    }
    code, _, err = run(capsys, "import", fill(sheet, cells, tmp_path / "filled.xlsx"))
    assert (code, err) == (0, "")
    given = stored(loaded).set_index("question").loc["verdict"].sort_values("case_id")
    assert given["answer"].tolist() == [
        "appropriate_with_observations",
        "appropriate_with_observations",
        "inappropriate",
    ]
    assert given["reviewed_by"].iloc[0] == "Panel member A"
    assert pd.Timestamp(given["reviewed_at"].iloc[0]) == pd.Timestamp(date.today())
    assert given["reviewed_by"].iloc[1] != "Panel member A"  # no reviewer given: the importer
    again = tmp_path / "again.xlsx"
    assert run(capsys, "export", 1, "--out", again)[0] == 0
    review = load_workbook(again)["Review"]
    header = [c.value for c in review[1]]
    assert review.cell(2, header.index("verdict") + 1).value == WORDS
    day = review.cell(2, header.index("reviewed on") + 1)
    assert day.is_date and day.value.date() == date.today()
    assert run(capsys, "import", again)[1] == "Sample 1: 0 answer(s) recorded from again.xlsx.\n"


def test_the_audit_names_each_case_and_its_earlier_value(loaded, sheet, capsys, tmp_path):  # noqa: F811
    before = fill(sheet, {(2, "risk_assessed"): "yes"}, tmp_path / "one.xlsx")
    assert run(capsys, "import", before)[0] == 0
    after = fill(
        sheet,
        {(2, "risk_assessed"): "no", (2, "risk_assessed note"): "no form", (3, "verdict"): WORDS},
        tmp_path / "two.xlsx",
    )
    code, out, _ = run(capsys, "import", after)
    assert code == 0
    assert out.splitlines() == [
        "Sample 1: 2 answer(s) recorded from two.xlsx.",
        "  changed: case 1 risk_assessed: yes -> no (note (none) -> 'no form')",
    ]
    with session_scope(loaded.engine) as session:
        details = [
            d for (a, d) in session.query(AuditEntry.action, AuditEntry.detail).all()
            if a == "sample reviewed"
        ]  # fmt: skip
    assert details[-1] == (
        "2 answer(s) recorded: case 1 risk_assessed: yes -> no (note (none) -> "
        "'no form'); case 2 verdict: (none) -> "
        "appropriate_with_observations"
    )


@pytest.mark.usefixtures("loaded")
def test_the_report_says_whether_a_sample_is_a_demonstration(sheet, capsys, tmp_path):
    assert (
        run(capsys, "import", fill(sheet, {(2, "risk_assessed"): "no"}, tmp_path / "a.xlsx"))[0]
        == 0
    )
    code, out, _ = run(capsys, "report", 1)
    assert code == 0
    table = pd.read_csv(pd.io.common.StringIO(out))
    assert list(table.columns)[-1] == "demonstration"
    assert set(table["demonstration"]) == {False}


def test_an_old_sheet_without_reviewer_columns_is_still_read(loaded, capsys, tmp_path):  # noqa: F811
    assert run(capsys, "draw", "--from", "2025-01", "--to", "2025-01", "--area", "Wyre",
               "--size", 2, "--seed", 9)[0] == 0  # fmt: skip
    with session_scope(loaded.engine) as session:
        sample = dipsamples.sample(session=session, sample_id=1)
        cases = dipsamples.cases(session=session, sample_id=1)
    book = load_workbook(pd.io.common.BytesIO(sheets.write(sample, cases, stored(loaded), {}, {})))
    review = book["Review"]
    review.delete_cols(review.max_column - 1, 2)
    review.cell(2, 7).value = "yes"  # category_correct
    for row in (2, 3):
        review.cell(row, 5).value = "Wyre"
    book.save(tmp_path / "old.xlsx")
    code, out, err = run(capsys, "import", tmp_path / "old.xlsx")
    assert (code, err) == (0, ""), err
    assert out == "Sample 1: 1 answer(s) recorded from old.xlsx.\n"
