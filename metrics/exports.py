"""Files people download: CSV that is safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run
as a formula by Excel or LibreOffice ("CSV injection"). Such text is stored as given but
written with a leading apostrophe, which spreadsheets show as plain text. Numbers, and text
that is only a number such as "-3.1%", are left alone.
"""

from __future__ import annotations

import re
from typing import Any

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
