"""Checking a batch of incident-extract rows column by column.

Rows in the usual, clean shape (an ISO date and time, a known district and category, a flag
written as one of the words pydantic reads as yes or no, and so on) are checked and turned
into records here, a whole column at a time. Every other row goes to the per-row check
(`ingest.extracts.Incidents.check`), which accepts the other spellings (UK dates, spreadsheet
cells that are not text) and words each problem. So the fast path accepts only rows the
per-row check accepts, with the same values: `tests/test_ingest_batch.py` compares the two
on every kind of cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from ingest import schema

# as `IncidentRow.reference`: up to the stored column's length
REFERENCE = rf"[A-Za-z0-9][A-Za-z0-9/_.-]{{0,{schema.REFERENCE_LENGTH - 1}}}"
LSOA = r"[EW]0\d{7}"  # as `IncidentRow.lsoa_code` (9 characters, the stored column's length)
ISO_TIME = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?"  # to the minute or second
CHANNEL_LENGTH = (1, schema.CHANNEL_LENGTH)  # as `IncidentRow.channel`
# pydantic's words for a boolean (any case, nothing around them)
YES_WORDS = ("y", "yes", "true", "t", "on", "1")
NO_WORDS = ("n", "no", "false", "f", "off", "0")
FLAGS = ("vehicle_involved", "repeat_victim", "vulnerable_victim")


class IncidentRecord(NamedTuple):
    """One incident as stored (`db.models.AsbIncident` without its id, load and `shown`)."""

    reference: str
    occurred_at: datetime
    month: date
    hour: int
    weekday: int
    district_code: str
    lsoa_code: str | None
    category: str
    vehicle_involved: bool
    repeat_victim: bool
    vulnerable_victim: bool
    channel: str


RECORD_COLUMNS = IncidentRecord._fields


@dataclass(frozen=True)
class Rules:
    """What a clean row must match: districts by casefolded name or ONS code, the ASB
    categories (casefolded), and the months a file may hold."""

    districts: dict[str, str]
    categories: frozenset[str]
    first_month: date
    last_month: date


def all_text(values: pd.Series) -> bool:
    """Every cell is text (always so in a CSV)."""
    return pd.api.types.infer_dtype(values, skipna=False) == "string"


def stripped(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """The column as trimmed text, and whether each cell was text (a CSV cell always is; a
    spreadsheet cell may be a number, a date or empty)."""
    if column not in frame:
        empty = pd.Series("", index=frame.index, dtype="str")
        return empty, pd.Series(True, index=frame.index)
    values = frame[column]
    if all_text(values):
        return values.str.strip(), pd.Series(True, index=frame.index)
    is_text = values.map(lambda v: v.__class__ is str).astype(bool)
    return values.where(is_text, "").astype(object).str.strip(), is_text


def clean_rows(frame: pd.DataFrame, rules: Rules) -> tuple[np.ndarray, pd.DataFrame]:
    """Which rows are clean (a boolean array), and their records (columns `RECORD_COLUMNS`,
    in the order of the clean rows)."""
    text = {column: stripped(frame, column) for column in (*frame.columns, "lsoa_code")}
    ok = np.ones(len(frame), dtype=bool)
    for _, is_text in text.values():
        ok &= is_text.to_numpy()
    reference = text["reference"][0]
    ok &= reference.str.fullmatch(REFERENCE).to_numpy(dtype=bool)
    raw_time = text["occurred_at"][0]
    timed = raw_time.str.fullmatch(ISO_TIME).to_numpy(dtype=bool)
    at = pd.to_datetime(raw_time.where(timed, None), format="ISO8601", errors="coerce")
    ok &= at.notna().to_numpy()
    month = at.to_numpy(dtype="datetime64[us]").astype("datetime64[M]")
    ok &= (month >= np.datetime64(rules.first_month, "M")) & (
        month <= np.datetime64(rules.last_month, "M")
    )
    # lower(), not the per-row check's casefold(): pyarrow does it a column at a time, and a
    # name that only casefold() would match goes to the per-row check
    district = text["district"][0].str.lower().map(rules.districts)
    ok &= district.notna().to_numpy()
    lsoa = text["lsoa_code"][0]  # an optional column: all empty when absent
    ok &= ((lsoa == "") | lsoa.str.fullmatch(LSOA)).to_numpy(dtype=bool)
    category = text["category"][0].str.lower()
    ok &= category.isin(rules.categories).to_numpy()
    flags = {}
    for flag in FLAGS:  # pydantic reads the cell as it is: no trimming
        is_text = text[flag][1]
        cells = frame[flag] if is_text.all() else frame[flag].where(is_text, "").astype(object)
        words = cells.str.lower()
        flags[flag] = words.isin(YES_WORDS).to_numpy()
        ok &= flags[flag] | words.isin(NO_WORDS).to_numpy()
    channel = text["channel"][0]
    length = channel.str.len()
    ok &= ((length >= CHANNEL_LENGTH[0]) & (length <= CHANNEL_LENGTH[1])).to_numpy()
    at = at[ok]
    records = pd.DataFrame(
        {
            "reference": reference[ok],
            "occurred_at": at,
            "month": month[ok].astype("datetime64[us]"),
            "hour": at.dt.hour.astype("int64"),
            "weekday": at.dt.day_of_week.astype("int64"),
            "district_code": district[ok],
            "lsoa_code": lsoa[ok].where(lsoa[ok] != "", None),
            "category": category[ok],
            **{flag: flags[flag][ok] for flag in FLAGS},
            "channel": channel[ok],
        },
        columns=list(RECORD_COLUMNS),
    )
    return ok, records.reset_index(drop=True)
