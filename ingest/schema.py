"""What the store can hold, read from its models (`db.models`), so that pass 1 refuses with
file, row and column what the write would refuse with a traceback (PostgreSQL checks the
length of every `String(n)`; SQLite does not, so a check that trusted SQLite would pass a
value PostgreSQL refuses). Lengths are read from the tables, never typed again here.

Every text column a load writes is listed in `CHECKED` with how pass 1 keeps it within its
length; `tests/test_hostile_input.py` checks the list is complete and each check holds.
"""

from __future__ import annotations

from sqlalchemy import String

from db.models import AsbIncident, Crime, CrimeOutcome, Load, Observation

# The largest figure a monthly return may give. A district's monthly count, hours or
# respondents are far below it; sums of such figures over districts, divisions and years stay
# whole numbers exactly in a 64-bit float (below 2**53, about 9e15), and can never overflow
# to infinity (1e308 twice is infinity, and a force-level sum of it showed "inf").
MAX_FIGURE = 1e12

STORED_TABLES = (AsbIncident, Crime, CrimeOutcome, Observation, Load)


def text_length(model: type, column: str) -> int | None:
    """The length of a model's `String(n)` column (None for unbounded text)."""
    kind = model.__table__.c[column].type
    return kind.length if isinstance(kind, String) else None


def text_columns(model: type) -> dict[str, int | None]:
    """Every text column of a model with its length (None: unbounded)."""
    return {
        c.name: text_length(model, c.name) for c in model.__table__.c if isinstance(c.type, String)
    }


REFERENCE_LENGTH = text_length(AsbIncident, "reference")
CHANNEL_LENGTH = text_length(AsbIncident, "channel")
LSOA_LENGTH = min(text_length(m, "lsoa_code") for m in (AsbIncident, Crime))
CRIME_ID_LENGTH = min(text_length(m, "crime_id") for m in (Crime, CrimeOutcome))
OUTCOME_LENGTH = min(text_length(Crime, "last_outcome"), text_length(CrimeOutcome, "outcome"))
FILE_NAME_LENGTH = text_length(Load, "file_name")

# How each text column a load writes is kept within its length: "file" where a value from the
# file is checked against the length above; "catalogue" where only a value named in config/
# (a district's ONS code, a category, a measure code, a breakdown, a crime type) or a word of
# the catalogue is written, which `tests/test_hostile_input.py` checks fits; "pattern" where
# the file's value must match a pattern no longer than the column; "code" where the value is
# not from the file (a word of the code, the hash, who loads: `db.writes` keeps it in length).
CHECKED: dict[tuple[str, str], str] = {
    ("asb_incidents", "reference"): "pattern",
    ("asb_incidents", "district_code"): "catalogue",
    ("asb_incidents", "lsoa_code"): "pattern",
    ("asb_incidents", "category"): "catalogue",
    ("asb_incidents", "channel"): "file",
    ("crimes", "crime_id"): "pattern",
    ("crimes", "crime_type"): "catalogue",
    ("crimes", "district_code"): "catalogue",
    ("crimes", "lsoa_code"): "pattern",
    ("crimes", "last_outcome"): "file",
    ("crime_outcomes", "crime_id"): "pattern",
    ("crime_outcomes", "outcome"): "file",
    ("observations", "measure_code"): "catalogue",
    ("observations", "level"): "code",
    ("observations", "area_code"): "catalogue",
    ("observations", "breakdown"): "catalogue",
    ("observations", "note"): "file",
    ("loads", "file_name"): "file",
    ("loads", "source"): "code",
    ("loads", "kind"): "code",
    ("loads", "file_hash"): "code",
    ("loads", "loaded_by"): "code",
    ("loads", "summary"): "code",
    ("loads", "undone_by"): "code",
}
