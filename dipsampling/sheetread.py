"""Reading a filled-in review sheet back (`dipsampling.sheets` writes it). Every cell is checked
first and each problem is named by file, row and column; all the problems are reported
together, and nothing is to be recorded unless the whole sheet passes (`commands.sample` and
the review page record what `read` returns).

Refused, each with its own message:
- a formula cell (the sheet is for values; a formula's result is not what the panel typed);
- a case on two rows (both rows named as `file:row`), a case number not in the sample;
- an identifying cell (reference, month, district, category) that differs from the stored case;
- an answer not yes, no or n/a; a verdict neither the page's words nor a code; a note without
  its answer;
- a reviewer longer than the store keeps; a day that is not a date, is in the future or is
  before the sample was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from db.dipsamples import VERDICT, Sample
from dipsampling.sheetlayout import (
    ANSWERS,
    NOTE,
    REVIEWED_ON,
    REVIEWER,
    REVIEWER_MAX,
    SHEET,
    VERDICT_NOTE,
    columns,
)
from ingest.base import shown, text
from ingest.examine import HEADER, FileRefused, Problem
from ingest.xlsx_guard import CellCounter, check_workbook

ANSWER_COLUMNS = ["position", "question", "answer", "note", "reviewed_by", "reviewed_at"]
CHECKED = ["reference", "month", "district", "category"]  # must match the stored case


@dataclass(frozen=True)
class ReadBack:
    """What a filled-in sheet gives: the sample it belongs to, its answers (ANSWER_COLUMNS:
    case position, question, answer, note, reviewer and day when given), and every problem
    found (when any, nothing is to be recorded)."""

    sample_id: int | None
    answers: pd.DataFrame
    problems: list[Problem]


@dataclass(frozen=True)
class _Sheet:
    """What each row is checked against."""

    name: str
    sample: Sample
    cases: dict[int, dict[str, str]]  # position -> the identifying cells as written
    verdicts: dict[str, str]  # code or lower-case words -> code
    allowed_verdicts: list[str]  # the words, for messages
    today: date


def read(
    path: Path,
    name: str,
    *,
    find: Any,
    verdicts: dict[str, str] | list[str],
    district_names: dict[str, str] | None = None,
    today: date | None = None,
) -> ReadBack:
    """Check a filled-in review sheet. `find(sample_id)` returns (Sample, its cases) or None;
    `verdicts` are the verdicts allowed (code -> the page's words; a list: codes only)."""
    try:
        rows, formulas = _cells(path, name)
    except FileRefused as refused:
        return _refused(refused.problems[0])
    header = [text(c) for c in rows[0]] if rows else []
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(text(c) for c in r)]
    ids = sorted({text(r[0]) for _, r in body})
    if len(ids) != 1 or not ids[0].isdigit():
        found = ", ".join(repr(i) for i in ids) or "none"
        return _refused(Problem(name, 2, "sample", f"one sample number per sheet, found {found}"))
    found = find(int(ids[0]))
    if found is None:
        return _refused(Problem(name, 2, "sample", f"no dip sample {ids[0]} in the store"))
    sample, cases = found
    if header not in (columns(sample), columns(sample, reviewer=False)):
        missing = [c for c in columns(sample) if c not in header]
        extra = [c for c in header if c not in columns(sample)]
        message = f"not the header of sample {sample.id}: missing {missing}, unexpected {extra}"
        return _refused(Problem(name, 1, HEADER, message), sample.id)
    sheet = _context(name, sample, cases, verdicts, district_names, today)
    problems = [
        Problem(name, row, header[col] if col < len(header) else f"column {col + 1}",
                f"a formula ({shown(value)}) is not allowed: type the value itself")
        for row, col, value in formulas
    ]  # fmt: skip
    given: list[tuple[object, ...]] = []
    first_row: dict[int, int] = {}  # case position -> the sheet row it is first on
    for number, row in body:
        values = dict(zip(header, row, strict=False))
        position = text(values.get("case"))
        if position.isdigit() and int(position) in first_row:
            first = first_row[int(position)]
            message = f"case {position} is on two rows, {name}:{first} and {name}:{number}"
            problems.append(Problem(name, number, "case", message + ": give each case once"))
            continue
        row_answers, row_problems = _row(sheet, number, values)
        if position.isdigit() and int(position) in sheet.cases:
            first_row[int(position)] = number
        given += row_answers
        problems += row_problems
    if problems:
        return ReadBack(sample.id, _no_answers(), problems)
    return ReadBack(sample.id, pd.DataFrame(given, columns=ANSWER_COLUMNS), [])


def _cells(path: Path, name: str) -> tuple[list[list], list[tuple[int, int, str]]]:
    """Every row's values of the review sheet, formulas blanked, and each formula cell (row,
    column index, formula). Raises FileRefused for a file that is not such a workbook."""
    from openpyxl import load_workbook

    check_workbook(path, name)  # its unpacked size, before openpyxl unpacks anything
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        problem = Problem(name, 1, "(file)", f"not a readable .xlsx workbook ({exc})")
        raise FileRefused([problem]) from None
    try:
        if SHEET not in book.sheetnames:
            raise FileRefused([Problem(name, 1, HEADER, f"no sheet named {SHEET!r}")])
        sheet = book[SHEET]
        counter = CellCounter(name, sheet.max_row, sheet.max_column)
        rows, formulas = [], []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            counter.add(cells)
            values = []
            for col, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.append((number, col, str(cell.value)))
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append(values)
        return rows, formulas
    finally:
        book.close()


def _context(name, sample, cases, verdicts, district_names, today) -> _Sheet:
    if district_names is None:
        from config import get_catalogue

        district_names = {d.ons_code: d.name for d in get_catalogue().geography.district}
    words = verdicts if isinstance(verdicts, dict) else {code: code for code in verdicts}
    lookup = {code: code for code in words} | {w.lower(): code for code, w in words.items()}
    written = {
        int(c.position): {
            "reference": c.reference,
            "month": f"{pd.Timestamp(c.month):%Y-%m}",
            "district": district_names.get(c.district_code, c.district_code),
            "category": c.category,
        }
        for c in cases.itertuples()
    }
    return _Sheet(name, sample, written, lookup, list(words.values()), today or date.today())


def _row(sheet: _Sheet, number: int, values: dict[str, Any]) -> tuple[list[tuple], list]:
    """One row's answers (ANSWER_COLUMNS), or its problems."""
    name, sample = sheet.name, sheet.sample
    position = text(values.get("case"))
    if not position.isdigit() or int(position) not in sheet.cases:
        return [], [Problem(name, number, "case", f"no case {position!r} in sample {sample.id}")]
    stored = sheet.cases[int(position)]
    problems = [
        Problem(name, number, column, _changed(position, column, stored[column], given))
        for column in CHECKED
        if (given := _identity(values.get(column))) != stored[column]
    ]
    by, on, who_problems = _reviewer(sheet, number, values)
    problems += who_problems
    given = []
    for code in [*sample.questions, VERDICT]:
        raw = text(values.get(code))
        note = text(values.get(VERDICT_NOTE if code == VERDICT else code + NOTE))
        answer = sheet.verdicts.get(raw.lower()) if code == VERDICT else raw.lower()
        if not raw:
            if note:
                problems.append(Problem(name, number, code, "a note without an answer"))
        elif code == VERDICT and answer is None:
            allowed = sheet.allowed_verdicts
            message = f"{raw!r} is not one of {allowed} (or their codes)"
            problems.append(Problem(name, number, code, message))
        elif code != VERDICT and answer not in ANSWERS:
            message = f"{answer!r} is not one of {sorted(ANSWERS)}"
            problems.append(Problem(name, number, code, message))
        else:
            given.append((int(position), code, answer, note or None, by, on))
    return given, problems


def _identity(value: Any) -> str:
    """An identifying cell as written (a month Excel turned into a date reads as YYYY-MM)."""
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    return text(value)


def _changed(position: str, column: str, stored: str, given: str) -> str:
    what = f"case {position}" if column == "reference" else f"case {position}'s {column}"
    return (
        f"{what} is {stored!r}, not {given!r}: the case columns are the sample's and cannot be "
        "changed in the sheet"
    )


def _reviewer(sheet: _Sheet, number: int, values: dict) -> tuple[str | None, Any, list]:
    """The row's reviewer and day (None when blank), or their problems."""
    problems = []
    by = text(values.get(REVIEWER)) or None
    if by is not None and len(by) > REVIEWER_MAX:
        message = f"a reviewer of {len(by)} characters: at most {REVIEWER_MAX}"
        problems.append(Problem(sheet.name, number, REVIEWER, message))
    raw = values.get(REVIEWED_ON)
    on = _day(raw)
    drawn = sheet.sample.drawn_at.date()
    if raw is not None and text(raw) and on is None:
        message = f"{shown(text(raw))} is not a date: give the day as a date (YYYY-MM-DD)"
        problems.append(Problem(sheet.name, number, REVIEWED_ON, message))
    elif on is not None and on > sheet.today:
        problems.append(Problem(sheet.name, number, REVIEWED_ON, f"{on} is in the future"))
    elif on is not None and on < drawn:
        message = f"{on} is before the sample was drawn ({drawn})"
        problems.append(Problem(sheet.name, number, REVIEWED_ON, message))
    return by, None if on is None else pd.Timestamp(on), problems


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value))
    except ValueError:
        return None


def _no_answers() -> pd.DataFrame:
    return pd.DataFrame(columns=ANSWER_COLUMNS)


def _refused(problem: Problem, sample_id: int | None = None) -> ReadBack:
    return ReadBack(sample_id, _no_answers(), [problem])


def finder(engine: Any) -> Any:
    """The `find` of `read`: a sample and its cases from the store at `engine`, or None."""
    from db import dipsamples
    from db.engine import read_scope

    def find(sample_id: int):
        with read_scope(engine) as session:
            sample = dipsamples.sample(session=session, sample_id=sample_id)
            if sample is None:
                return None
            return sample, dipsamples.cases(session=session, sample_id=sample_id)

    return find


def read_upload(content: bytes, name: str, *, engine: Any, **options: Any) -> ReadBack:
    """`read` of an uploaded sheet's bytes, finding its sample in the store at `engine`."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        copy.write(content)
        copy.flush()
        return read(Path(copy.name), name, find=finder(engine), **options)
