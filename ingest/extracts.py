"""ASB incident extracts from force systems (CSV or .xlsx), and the row parsing shared with
monthly returns (`ingest.returns`).
Their columns are documented in the README and offered as templates on the Data page; each
row is parsed by a pydantic model, then checked against the catalogue (districts, measures,
categories) here.
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from config import Catalogue
from config.vocabulary import FileKind, FileLayout
from db.aggregates import IncidentCounts
from ingest.base import EARLIEST_MONTH, Kind, Report, RowsAgain, shown, text
from ingest.duplicates import DuplicateFinder
from ingest.incident_batch import (
    CHANNEL_LENGTH,
    FLAGS,
    LSOA,
    RECORD_COLUMNS,
    REFERENCE,
    IncidentRecord,
    Rules,
    all_text,
    clean_rows,
)
from ingest.incident_tally import IncidentTally
from ingest.read import Rows
from ingest.schema import MAX_FIGURE


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().replace(",", "") if value.strip() else None
    return value


def _uk_datetime(value: Any) -> Any:
    """A date and time as written in an extract: ISO (`YYYY-MM-DD HH:MM`, the common case,
    read by `datetime.fromisoformat`) or UK (`DD/MM/YYYY HH:MM`). Anything else is left for
    pydantic, which reports it."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if len(value) >= 16 and value[4] == "-" and value[10] in " T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    return value


def _figure(value: float | None) -> float | None:
    """A figure the store can sum: finite, and not above MAX_FIGURE either way."""
    if value is not None and not math.isfinite(value):
        raise PydanticCustomError("not_finite", "not a number")
    if value is not None and abs(value) > MAX_FIGURE:
        raise PydanticCustomError("too_large", "too large")
    return value


Number = Annotated[float | None, BeforeValidator(_blank_to_none), AfterValidator(_figure)]
Text = Annotated[str, BeforeValidator(lambda v: text(v))]


class IncidentRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: Text = Field(pattern=rf"^{REFERENCE}$")
    occurred_at: Annotated[datetime, BeforeValidator(_uk_datetime)]
    district: Text
    lsoa_code: Annotated[str | None, BeforeValidator(lambda v: text(v) or None)] = Field(
        default=None, pattern=rf"^{LSOA}$"
    )
    category: Text
    vehicle_involved: bool
    repeat_victim: bool
    vulnerable_victim: bool
    channel: Text = Field(min_length=CHANNEL_LENGTH[0], max_length=CHANNEL_LENGTH[1])


MESSAGES = {
    "string_pattern_mismatch": {
        "reference": "must be a pseudonymous reference of letters, digits, / _ . - "
        "(no spaces, names or addresses), up to 64 characters",
        "lsoa_code": "is not an LSOA code (E01234567)",
    },
    "bool_parsing": "must be Y or N",
    "datetime_from_date_parsing": "must be a date and time: YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM",
    "datetime_parsing": "must be a date and time: YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM",
    "float_parsing": "must be a number",
    "not_finite": "must be a number (not NaN or infinity)",
    "too_large": f"is beyond {MAX_FIGURE:,.0f}, the largest figure accepted (sums of figures "
    "must stay exact)",
    "string_too_long": "is longer than {max_length} characters, the most accepted",
}


def parse(
    model: type[BaseModel], row: int, values: dict[str, Any], report: Report
) -> tuple[Any, frozenset[str]]:
    """The row as `model`, and the columns that failed, each problem reported in plain words.
    When some columns fail, the others are still read, one by one, so that the row's other
    checks run and every problem of the row is listed (a failed column reads None)."""
    try:
        return model.model_validate(values), frozenset()
    except ValidationError as exc:
        failed = set()
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else "(row)"
            message = MESSAGES.get(error["type"], error["msg"])
            if isinstance(message, dict):
                message = message.get(column, error["msg"])
            elif error["type"] in MESSAGES:
                message = message.format(**error.get("ctx", {}))
            report(row, column, f"{shown(text(error.get('input')))}: {message}")
            failed.add(column)
    fields = {}
    for name, info in model.model_fields.items():
        if name in failed or name not in values:
            fields[name] = None if name in failed or info.is_required() else info.get_default()
        else:
            fields[name] = _field(model, name).validate_python(values[name])
    return model.model_construct(**fields), frozenset(failed)


@functools.cache
def _field(model: type[BaseModel], name: str) -> TypeAdapter:
    """One field of a model on its own (its type, constraints and validators)."""
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])


class Incidents(Kind):
    name = FileLayout.INCIDENTS
    source = FileKind.INCIDENTS
    title = "ASB incident extract"
    required = (
        "reference",
        "occurred_at",
        "district",
        "category",
        "vehicle_involved",
        "repeat_victim",
        "vulnerable_victim",
        "channel",
    )
    optional = ("lsoa_code",)
    record_type = IncidentRecord

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.categories = catalogue.measures.incident_categories
        self.rules = Rules(
            districts={**self.district_by_code, **self.district_by_name},
            categories=frozenset(self.categories),
            first_month=EARLIEST_MONTH,
            last_month=self.latest_month,
        )
        self.tally = IncidentTally(
            districts=[d.ons_code for d in catalogue.geography.district],
            categories=list(self.categories),
            first=EARLIEST_MONTH,
            last=self.latest_month,
        )
        self.references = DuplicateFinder()

    def check_batch(self, rows: Rows, names: list[str], report: Report) -> pd.DataFrame:
        """Clean rows column by column (`ingest.incident_batch`), the others one by one
        (`check`); references are remembered to find repeats once every row is seen."""
        numbers = rows.numbers
        frame = rows.frame(names)
        clean, records = clean_rows(frame, self.rules)
        reference = texts(frame["reference"])
        named = reference.str.fullmatch(REFERENCE).to_numpy(dtype=bool)
        self.references.add(numbers[named], reference[named])
        others = np.flatnonzero(~clean)
        other_rows = frame.iloc[others].to_numpy(dtype=object).tolist()
        checked = [
            (number, self.check(number, dict(zip(names, values, strict=True)), report))
            for number, values in zip(numbers[others].tolist(), other_rows, strict=True)
        ]
        valid = [(number, record) for number, record in checked if record is not None]
        if valid:
            order = np.concatenate([numbers[clean], [number for number, _ in valid]])
            rest = pd.DataFrame([r for _, r in valid], columns=list(RECORD_COLUMNS))
            records = pd.concat([records, rest], ignore_index=True)
            records = records.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
        records = as_records(records)
        self.months.update(records["month"].drop_duplicates().dt.date)
        self.count("incident rows", len(records))
        self.tally.add(records)
        return records

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        """One row that is not in the clean shape: parsed by `IncidentRow`, each problem
        worded, every problem of the row listed. Repeated references are found across the file
        by `finish`."""
        parsed, failed = parse(IncidentRow, row, values, report)
        district = self.district(row, "district", parsed.district, report)
        category = parsed.category.casefold()
        if category not in self.categories:
            report(
                row,
                "category",
                f"{shown(parsed.category)} is not one of {', '.join(self.categories)}",
            )
        if "occurred_at" in failed:
            return None
        at = parsed.occurred_at.replace(tzinfo=None, microsecond=0)
        month = self.month_in_range(row, "occurred_at", date(at.year, at.month, 1), report)
        if failed or not (district and month and category in self.categories):
            return None
        return IncidentRecord(
            parsed.reference,
            at,
            month,
            at.hour,
            at.weekday(),
            district,
            parsed.lsoa_code,
            category,
            parsed.vehicle_involved,
            parsed.repeat_victim,
            parsed.vulnerable_victim,
            parsed.channel,
        )

    def finish(self, report: Report, rows_again: RowsAgain) -> None:
        def confirm(wanted: set[int]) -> dict[int, str]:
            return {row: text(values["reference"]) for row, values in rows_again(wanted).items()}

        for row, earlier in self.references.repeats(confirm):
            report(row, "reference", f"duplicate of row {earlier}")
        self.references.close()

    def counts(self) -> IncidentCounts:
        return self.tally.counts()

    def close(self) -> None:
        self.references.close()


def texts(values: pd.Series) -> pd.Series:
    """Each cell as `text` makes it (trimmed; a spreadsheet number without its `.0`)."""
    if all_text(values):
        return values.str.strip()
    return values.map(text).astype(object)


TEXT_COLUMNS = ("reference", "district_code", "lsoa_code", "category", "channel")


def as_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Records with the same column types however they were made: text as pandas' text type
    (kept by pyarrow: cheap to keep on disk between the passes), an empty LSOA missing."""
    lsoa = frame["lsoa_code"].astype(object)
    return frame.assign(lsoa_code=lsoa.where(lsoa.notna() & (lsoa != ""), None)).astype(
        {
            **dict.fromkeys(TEXT_COLUMNS, "str"),
            "occurred_at": "datetime64[us]",
            "month": "datetime64[us]",
            "hour": "int64",
            "weekday": "int64",
            **dict.fromkeys(FLAGS, bool),
        }
    )
