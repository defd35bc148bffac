"""Writing the pack's tables into a workbook a scrutiny officer can sort and check.

Rules:
- Every sheet opens with the pack's title line and its freshness and source line (the same
  as every PDF page's header); a table sheet's header row follows a blank row, with the panes
  frozen below it and a filter on every column.
- Cells are typed: numbers as numbers (text that is only a number, such as "12,775" or
  "24.1%", becomes one), dates and times as dates; per cents and chances are fractions shown
  with a percent format. Text is neutralised so no cell runs as a formula
  (`present.exports.neutralise`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from present.exports import neutralise

HEADER_ROWS = 3  # title, freshness and source, blank: the table's header is row 4
PLAIN_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?%?$|^-?\d+(\.\d+)?%?$")
FORMATS = {
    "percent": "0.0%",
    "integer": "#,##0",
    "decimal": "#,##0.0##",  # whole numbers in a decimal column: "integer"
    "month": "mmm yyyy",
    "day": "dd mmm yyyy",
    "moment": "dd mmm yyyy hh:mm",
}
WIDEST = 60


def numbers_from_text(frame: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """`frame` with each text column whose every filled cell is a plain number made numeric
    ("12,775" -> 12775, "24.1%" -> 0.241), and the columns that were per cents; other
    columns as they are."""
    typed, percent = frame.copy(), set()
    for column in typed.columns:
        values = typed[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        filled = [v for v in values if isinstance(v, str) and v != ""]
        others = [v for v in values if not isinstance(v, str) and pd.notna(v)]
        if not filled or others or not all(PLAIN_NUMBER.match(v) for v in filled):
            continue
        typed[column] = [_number(v) if isinstance(v, str) and v else None for v in values]
        typed[column] = typed[column].astype(float)
        if any(v.endswith("%") for v in filled):
            percent.add(column)
    return typed, percent


def _number(text: str) -> float:
    value = float(text.rstrip("%").replace(",", ""))
    return round(value / 100, 12) if text.endswith("%") else value


def write_sheet(
    writer, name: str, frame: pd.DataFrame, lines: list[str], *, table: bool, days=()
) -> None:
    """`frame` as the sheet `name` under `lines` (see the module's rules); `days`: the date
    columns shown as days even when every one is a first of the month."""
    frame, percent = numbers_from_text(frame)
    frame = neutralise(frame)
    frame.to_excel(writer, sheet_name=name, index=False, startrow=HEADER_ROWS)
    sheet: Worksheet = writer.sheets[name]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line)
    if not table:
        return
    top = HEADER_ROWS + 1
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    last = get_column_letter(max(len(frame.columns), 1))
    sheet.auto_filter.ref = f"A{top}:{last}{top + max(len(frame), 1)}"
    for i, column in enumerate(frame.columns, start=1):
        kind = "percent" if column in percent else "day" if column in days else None
        _format_column(sheet, i, frame[column], top, kind or _kind(frame[column]))


def _format_column(sheet: Worksheet, index: int, values: pd.Series, top: int, kind) -> None:
    letter = get_column_letter(index)
    for row in range(top + 1, top + 1 + len(values)):
        cell = sheet.cell(row=row, column=index)
        if kind == "decimal" and isinstance(cell.value, int | float):
            whole = float(cell.value).is_integer()
            cell.number_format = FORMATS["integer" if whole else "decimal"]
        elif kind:
            cell.number_format = FORMATS[kind]
    cells = [str(values.name), *(str(v) for v in values.head(200))]
    sheet.column_dimensions[letter].width = min(max(max(map(len, cells), default=8), 10), WIDEST)


def _kind(values: pd.Series) -> str | None:
    name = str(values.name)
    filled = values.dropna()
    if filled.empty:
        return None
    first = filled.iloc[0]
    if isinstance(first, datetime | pd.Timestamp):
        if all(v.day == 1 and v.hour == 0 and v.minute == 0 for v in filled):
            return "month"
        return "moment" if any(v.hour or v.minute for v in filled) else "day"
    if isinstance(first, date):
        return "month" if all(v.day == 1 for v in filled) else "day"
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if "%" in name or name.startswith("Chance of"):
        return "percent"
    whole = all(float(v).is_integer() for v in filled)
    return "integer" if whole else "decimal"
