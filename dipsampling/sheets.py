"""A sample's review sheet in Excel: written with one row per case (its reference, month,
district and category, then a column per checklist question, a note column per question, the
verdict and a note), filled in by the panel, and read back. Reading checks every cell first
and names each problem by file, row and column; nothing is written unless the whole sheet
passes (`dipsampling.cli` and the review page record what it returns)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from config.dipsampling import Answer
from db.dipsamples import VERDICT, Sample
from ingest.base import text
from ingest.examine import HEADER, FileRefused, Problem
from ingest.xlsx_guard import CellCounter, check_workbook

SHEET = "Review"
FIXED = ["sample", "case", "reference", "month", "district", "category"]
NOTE = " note"  # suffix of a question's note column
VERDICT_NOTE = "verdict note"
ANSWERS = {a.value for a in Answer}


def columns(sample: Sample) -> list[str]:
    """The sheet's header: the fixed columns, each question and its note, the verdict."""
    asked = [c for code in sample.questions for c in (code, code + NOTE)]
    return [*FIXED, *asked, VERDICT, VERDICT_NOTE]


def write(
    sample: Sample, cases: pd.DataFrame, given: pd.DataFrame, district_names: dict[str, str]
) -> bytes:
    """The review sheet of a sample as .xlsx bytes, with the answers given so far."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    header = columns(sample)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    answered = {(r.case_id, r.question): (r.answer, r.note) for r in given.itertuples()}
    for case in cases.itertuples():
        row: list[Any] = [
            sample.id,
            case.position,
            case.reference,
            f"{case.month:%Y-%m}",
            district_names.get(case.district_code, case.district_code),
            case.category,
        ]
        for code in [*sample.questions, VERDICT]:
            answer, note = answered.get((case.case_id, code), (None, None))
            row += [answer, note]
        sheet.append(row)
    notes = book.create_sheet("Questions")
    if sample.is_demo:
        notes.append(["DEMONSTRATION sample of synthetic incidents: not real cases or reviews"])
    notes.append(["column", "question", "answers"])
    for code, words in sample.questions.items():
        notes.append([code, words, "yes, no or n/a (blank: not reviewed yet)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class ReadBack:
    """What a filled-in sheet gives: the sample it belongs to, its answers (case position,
    question, answer, note), and every problem found (when any, nothing is to be recorded)."""

    sample_id: int | None
    answers: pd.DataFrame
    problems: list[Problem]


def read(path: Path, name: str, *, find: Any, verdicts: list[str]) -> ReadBack:
    """Check a filled-in review sheet. `find(sample_id)` returns (Sample, its cases) or None;
    `verdicts` are the verdict codes allowed."""
    from openpyxl import load_workbook

    try:
        check_workbook(path, name)  # its unpacked size, before openpyxl unpacks anything
        book = load_workbook(path, read_only=True, data_only=True)
    except FileRefused as refused:
        return _refused(refused.problems[0])
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        return _refused(Problem(name, 1, "(file)", f"not a readable .xlsx workbook ({exc})"))
    try:
        if SHEET not in book.sheetnames:
            return _refused(Problem(name, 1, HEADER, f"no sheet named {SHEET!r}"))
        sheet = book[SHEET]
        cells = CellCounter(name, sheet.max_row, sheet.max_column)
        rows = [list(r) for r in sheet.iter_rows(values_only=True) if cells.add(r) or True]
    except FileRefused as refused:
        return _refused(refused.problems[0])
    finally:
        book.close()
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
    if header != columns(sample):
        missing = [c for c in columns(sample) if c not in header]
        extra = [c for c in header if c not in columns(sample)]
        message = f"not the header of sample {sample.id}: missing {missing}, unexpected {extra}"
        return _refused(Problem(name, 1, HEADER, message), sample.id)
    references = dict(zip(cases["position"], cases["reference"], strict=True))
    given, problems = [], []
    for number, row in body:
        values = dict(zip(header, row, strict=False))
        found_answers, found_problems = _answers(name, number, values, sample, references, verdicts)
        given += found_answers
        problems += found_problems
    if problems:
        return ReadBack(sample.id, _no_answers(), problems)
    return ReadBack(sample.id, pd.DataFrame(given, columns=_no_answers().columns), [])


def _answers(
    name: str,
    number: int,
    values: dict[str, Any],
    sample: Sample,
    references: dict[int, str],
    verdicts: list[str],
) -> tuple[list[tuple], list[Problem]]:
    """One row's answers (position, question, answer, note), or its problems."""
    position = text(values["case"])
    if not position.isdigit() or int(position) not in references:
        return [], [Problem(name, number, "case", f"no case {position!r} in sample {sample.id}")]
    reference = text(values["reference"])
    if reference != references[int(position)]:
        message = f"case {position} is {references[int(position)]!r}, not {reference!r}"
        return [], [Problem(name, number, "reference", message)]
    given, problems = [], []
    for code in [*sample.questions, VERDICT]:
        answer = text(values[code]).lower()
        note = text(values[VERDICT_NOTE if code == VERDICT else code + NOTE])
        allowed = verdicts if code == VERDICT else sorted(ANSWERS)
        if not answer:
            if note:
                problems.append(Problem(name, number, code, "a note without an answer"))
        elif answer not in allowed:
            problems.append(Problem(name, number, code, f"{answer!r} is not one of {allowed}"))
        else:
            given.append((int(position), code, answer, note or None))
    return given, problems


def _no_answers() -> pd.DataFrame:
    return pd.DataFrame(columns=["position", "question", "answer", "note"])


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


def read_upload(content: bytes, name: str, *, engine: Any, verdicts: list[str]) -> ReadBack:
    """`read` of an uploaded sheet's bytes, finding its sample in the store at `engine`."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        copy.write(content)
        copy.flush()
        return read(Path(copy.name), name, find=finder(engine), verdicts=verdicts)
