"""ASB incident extracts from force systems (CSV or .xlsx), and the row parsing shared with
monthly returns (`ingest.returns`).
Their columns are documented in the README and offered as templates on the Data page; each
row is parsed by a pydantic model, then checked against the catalogue (districts, measures,
categories) here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from config import Catalogue
from ingest.base import Kind, Report, shown, text


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().replace(",", "") if value.strip() else None
    return value


def _uk_datetime(value: Any) -> Any:
    """A date and time as written in an extract: ISO (`YYYY-MM-DD HH:MM`, the common case,
    read by `datetime.fromisoformat`) or UK (`DD/MM/YYYY HH:MM`). Anything else is left for
    pydantic, which reports it."""
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] in " T":
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, str):
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
            try:
                return datetime.strptime(value.strip(), pattern)
            except ValueError:
                continue
    return value


Number = Annotated[float | None, BeforeValidator(_blank_to_none)]
Text = Annotated[str, BeforeValidator(lambda v: text(v))]


class IncidentRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: Text = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$")
    occurred_at: Annotated[datetime, BeforeValidator(_uk_datetime)]
    district: Text
    lsoa_code: Annotated[str | None, BeforeValidator(lambda v: text(v) or None)] = Field(
        default=None, pattern=r"^[EW]0\d{7}$"
    )
    category: Text
    vehicle_involved: bool
    repeat_victim: bool
    vulnerable_victim: bool
    channel: Text = Field(min_length=1, max_length=40)


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
}


def parse(model: type[BaseModel], row: int, values: dict[str, Any], report: Report) -> Any:
    """The row as `model`, or None after reporting each field's problem in plain words."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else "(row)"
            message = MESSAGES.get(error["type"], error["msg"])
            if isinstance(message, dict):
                message = message.get(column, error["msg"])
            report(row, column, f"{shown(text(error.get('input')))}: {message}")
        return None


class IncidentRecord(NamedTuple):
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


class Incidents(Kind):
    name = "incidents"
    source = "incidents"
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
        asb = catalogue.measure("asb_incidents")
        self.categories = asb.breakdown.values if asb.breakdown else []
        self._seen: dict[str, int] = {}

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        parsed = parse(IncidentRow, row, values, report)
        if parsed is None:
            return None
        district = self.district(row, "district", parsed.district, report)
        category = parsed.category.casefold()
        if category not in self.categories:
            report(
                row,
                "category",
                f"{shown(parsed.category)} is not one of {', '.join(self.categories)}",
            )
        at = parsed.occurred_at.replace(tzinfo=None, microsecond=0)
        month = self.month_in_range(row, "occurred_at", date(at.year, at.month, 1), report)
        earlier = self._seen.setdefault(parsed.reference, row)
        if earlier != row:
            report(row, "reference", f"duplicate of row {earlier}")
        if not (district and month and category in self.categories) or earlier != row:
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

    def add(self, record: Any) -> None:
        self.months.add(record.month)
        self.count("incident rows")
