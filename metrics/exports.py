"""Files people download: CSV that is safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run
as a formula by Excel or LibreOffice ("CSV injection"). Such text is stored as given but
written with a leading apostrophe, which spreadsheets show as plain text. Numbers (a number
is never text, so -0.5 stays -0.5), and text that is only a number such as "-3.1%", are left
alone; text such as "-0.5 pts" is text and gets the apostrophe. So that downloads carry
numbers, a page's table download is built from raw figures, not the formatted text it shows
(`table_csv`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?[\d.,]+%?$")


def neutralise_text(value: Any) -> Any:
    """`value` made safe for a spreadsheet cell (only text that could start a formula changes)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_text)
    safe.columns = [neutralise_text(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV (with a byte-order mark, so Excel reads accents) and neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def list_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of `frame` holding lists, tuples or arrays (a table's sparklines)."""
    return [
        column
        for column in frame.columns
        if frame[column].dtype == object
        and frame[column].map(lambda v: isinstance(v, list | tuple | np.ndarray)).any()
    ]


def table_csv(shown: pd.DataFrame, download: pd.DataFrame | None = None) -> bytes:
    """The CSV a page table's download button gives: `download` (the table's figures as raw
    numbers in plain columns) when the page passes one, otherwise the `shown` frame without
    its columns of lists, which a CSV cell cannot hold."""
    if download is None:
        download = shown.drop(columns=list_columns(shown))
    return csv_bytes(download)


def csv_number(value: float | None) -> str:
    """A number in the CSV outputs: whole numbers as integers, others to 4 decimals."""
    if value is None or pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"
