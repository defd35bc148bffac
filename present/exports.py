"""Files people download: CSV that is safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) would be run
as a formula by Excel or LibreOffice ("CSV injection"). Such text is stored as given but
written with a leading apostrophe, which spreadsheets show as plain text. Numbers (a number
is never text, so -0.5 stays -0.5), and text that is only a number such as "-3.1%", are left
alone; text such as "-0.5 pts" is text and gets the apostrophe. So that downloads carry
numbers, a page's table download is built from raw figures, not the formatted text it shows
(`table_csv`).

`manage.py status` and `export` also say, per row, the months the SPC limits shown were fitted
on (`limits_from`, `limits_to`: empty when no limits are shown) and how many of the 12 months
of the window ending at the row's month are loaded (`months_present`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from config.text import FORMULA_START

if TYPE_CHECKING:
    from metrics.control import Reading

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
    text: str = neutralise(frame).to_csv(index=False)
    return text.encode("utf-8-sig")


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


WINDOW = 12  # the months of a rolling 12-month window


def month_text(value: object) -> str:
    """A month in the CSV outputs (YYYY-MM), or empty."""
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m}"


def limits_months(reading: Reading, month: pd.Timestamp | None = None) -> tuple[str, str]:
    """The months the limits shown at `month` (default: the latest, `reading.latest`) were
    fitted on, as YYYY-MM text; empty when no limits are shown there."""
    segment = reading.latest if reading is not None else None
    frame = reading.frame if reading is not None else pd.DataFrame()
    if month is not None and segment is not None:
        when = pd.Timestamp(month)
        if when not in frame.index or pd.isna(frame.loc[when, "centre"]):
            return "", ""
        number = frame.loc[when, "segment"]
        if pd.notna(number) and 0 <= int(number) < len(reading.segments):
            segment = reading.segments[int(number)]
    if segment is None or pd.isna(segment.centre):
        return "", ""
    return month_text(segment.fitted_from), month_text(segment.fitted_to)


def months_present(frame: pd.DataFrame) -> pd.Series:
    """For each row of monthly rows (`measure`, `level`, `area`, `month`: a row is a month
    loaded), how many of the 12 months ending at its month are loaded."""
    months = pd.to_datetime(frame["month"])
    found = pd.Series(0, index=frame.index, dtype=int)
    for _, group in months.groupby([frame["measure"], frame["level"], frame["area"]]):
        flags = pd.Series(1.0, index=group.to_numpy()).sort_index()
        flags = flags.reindex(pd.date_range(flags.index.min(), flags.index.max(), freq="MS"))
        counts = flags.fillna(0).rolling(WINDOW, min_periods=1).sum()
        found.loc[group.index] = counts.reindex(group.to_numpy()).astype(int).to_numpy()
    return found
