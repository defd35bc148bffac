"""A sample's review sheet in Excel: written with one row per case (its sample, case number,
reference, month, district and category, then a column per checklist question, a note column
per question, the verdict and its note, the reviewer and the day of the review), filled in by
the panel, and read back (`dipsampling.sheetread`).

Rules of the sheet as written:
- The allowed values are listed on the sheet "How to fill in" and enforced with drop-downs
  (data validation): yes, no or n/a for every question; the verdict's words as the page shows
  them (its code is accepted too); the day as a date no earlier than the draw.
- The identifying columns (sample, case, reference, month, district, category) are locked by
  sheet protection (no password: it guards against slips, not people); answers, notes, verdict,
  reviewer and day are the only cells open to typing.
- Text from the store that starts with `=`, `+`, `-` or `@` (`config.text.FORMULA_START`)
  is written as a text cell with a quote prefix, so a spreadsheet shows it and never runs it;
  it reads back exactly as stored.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from config.text import FORMULA_START
from db.dipsamples import VERDICT, Sample
from dipsampling.sheetlayout import (  # noqa: F401 (the layout's names, as before)
    ANSWER_LIST,
    ANSWERS,
    DATE_FORMAT,
    FIXED,
    GUIDE,
    IDENTITY,
    NOTE,
    REVIEWED_ON,
    REVIEWER,
    REVIEWER_MAX,
    SHEET,
    VERDICT_NOTE,
    columns,
)


def inert(cell: Any, value: Any) -> None:
    """Put `value` in `cell`; text that a spreadsheet could run as a formula is kept as text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl took "=..." for a formula: it is text
        cell.quotePrefix = True  # and stays text when someone edits the cell


def write(
    sample: Sample,
    cases: pd.DataFrame,
    given: pd.DataFrame,
    district_names: dict[str, str],
    verdicts: dict[str, str] | None = None,
) -> bytes:
    """The review sheet of a sample as .xlsx bytes, with the answers given so far; `verdicts`
    (code -> the page's words) are offered in the verdict's drop-down."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    verdicts = verdicts or {}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    header = columns(sample)
    for number, name in enumerate(header, start=1):
        inert(sheet.cell(1, number), name)
        sheet.cell(1, number).font = Font(bold=True)
        if name in sample.questions:  # the question's words where the panel reads the code
            sheet.cell(1, number).comment = Comment(sample.questions[name], "dashboard")
    answered = _answered(given)
    for row, case in enumerate(cases.itertuples(), start=2):
        values = _row(sample, case, answered, district_names, verdicts)
        for number, value in enumerate(values, start=1):
            inert(sheet.cell(row, number), value)
            if header[number - 1] == REVIEWED_ON:
                sheet.cell(row, number).number_format = DATE_FORMAT
    lists = _guide(book, sample, verdicts)
    _validate(sheet, header, len(cases), lists, sample)
    _protect(sheet, header, len(cases))
    sheet.freeze_panes = "D2"  # the case and its reference stay in view
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _answered(given: pd.DataFrame) -> dict:
    """(case_id, question) -> (answer, note, reviewed_by, reviewed_at) of the answers given."""
    return {
        (r.case_id, r.question): (r.answer, r.note, r.reviewed_by, r.reviewed_at)
        for r in given.itertuples()
    }


def _row(sample: Sample, case, answered: dict, names: dict, verdicts: dict) -> list[Any]:
    row: list[Any] = [
        sample.id,
        case.position,
        case.reference,
        f"{case.month:%Y-%m}",
        names.get(case.district_code, case.district_code),
        case.category,
    ]
    for code in sample.questions:
        answer, note, *_ = answered.get((case.case_id, code), (None, None))
        row += [answer, _text(note)]
    verdict, note, by, at = answered.get((case.case_id, VERDICT), (None, None, None, None))
    row += [verdicts.get(verdict, verdict), _text(note)]
    if by is None:  # no verdict yet: the latest answer says who reviewed and when
        mine = [v for (case_id, _), v in answered.items() if case_id == case.case_id]
        by, at = max(mine, key=lambda v: v[3])[2:] if mine else (None, None)
    return [*row, by, None if at is None or pd.isna(at) else pd.Timestamp(at).date()]


def _text(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _guide(book, sample: Sample, verdicts: dict[str, str]) -> dict[str, str]:
    """The sheet of instructions and allowed values; returns the ranges the drop-downs use."""
    guide = book.create_sheet(GUIDE)
    lines = []
    if sample.is_demo:
        lines.append(["DEMONSTRATION sample of synthetic incidents: not real cases or reviews"])
    lines += [
        ["Choose each answer from its drop-down. Only the white columns can be typed in: the "
         "case columns are locked. Leave an answer blank if the case is not reviewed yet."],
        [f"'{REVIEWER}': who reviewed the case (account name or initials). "
         f"'{REVIEWED_ON}': the day of the review, as a date (YYYY-MM-DD)."],
        ["Each case once: a case on two rows is refused. Formulas are refused: type values."],
        [],
        ["column", "question", "allowed answers"],
    ]  # fmt: skip
    lines += [[code, words, "yes, no or n/a"] for code, words in sample.questions.items()]
    lines += [[], ["verdict (choose the words)", "code (also accepted)"]]
    first_verdict = len(lines) + 1
    lines += [[words, code] for code, words in verdicts.items()]
    lines += [[], ["answers"]]
    first_answer = len(lines) + 1
    lines += [[a] for a in ANSWER_LIST]
    for row, line in enumerate(lines, start=1):
        for number, value in enumerate(line, start=1):
            inert(guide.cell(row, number), value)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 70
    last_verdict = first_verdict + max(len(verdicts), 1) - 1
    return {
        "verdict": f"'{GUIDE}'!$A${first_verdict}:$A${last_verdict}",
        "answer": f"'{GUIDE}'!$A${first_answer}:$A${first_answer + len(ANSWER_LIST) - 1}",
    }


def _validate(sheet, header: list[str], cases: int, lists: dict[str, str], sample) -> None:
    """Drop-downs for every answer and the verdict; a date no earlier than the draw."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = cases + 1
    if cases == 0:
        return

    def where(names: list[str]) -> list[str]:
        letters = [get_column_letter(header.index(n) + 1) for n in names]
        return [f"{c}2:{c}{last}" for c in letters]

    rules = [
        (DataValidation(type="list", formula1=lists["answer"]), list(sample.questions),
         "Choose yes, no or n/a (or leave it blank)."),
        (DataValidation(type="list", formula1=lists["verdict"]), [VERDICT],
         "Choose the panel's verdict from the list."),
        (DataValidation(type="date", operator="greaterThanOrEqual",
                        formula1=f"DATE({sample.drawn_at:%Y},{sample.drawn_at.month},"
                                 f"{sample.drawn_at.day})"),
         [REVIEWED_ON], f"A date, on or after the draw ({sample.drawn_at:%Y-%m-%d})."),
        (DataValidation(type="textLength", operator="lessThanOrEqual",
                        formula1=str(REVIEWER_MAX)), [REVIEWER],
         f"At most {REVIEWER_MAX} characters."),
    ]  # fmt: skip
    for rule, names, error in rules:
        rule.allow_blank = True
        rule.showErrorMessage = True
        rule.errorTitle = "Not allowed"
        rule.error = error
        for cells in where(names):
            rule.add(cells)
        sheet.add_data_validation(rule)


def _protect(sheet, header: list[str], cases: int) -> None:
    """Lock the sheet, then open the answer, note, verdict, reviewer and day cells."""
    from openpyxl.styles import Protection

    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column stays allowed
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    open_ = Protection(locked=False)
    for number, name in enumerate(header, start=1):
        if name in IDENTITY:
            continue
        for row in range(2, cases + 2):
            sheet.cell(row, number).protection = open_


from dipsampling.sheetread import ReadBack, finder, read, read_upload  # noqa: E402

__all__ = ["ReadBack", "columns", "finder", "read", "read_upload", "write"]
