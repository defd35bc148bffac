"""police.uk open data: monthly street-level files and outcomes files.

Street files: "Anti-social behaviour" rows count towards `asb_incidents`; "Shoplifting" rows
are kept as crimes (for `shoplifting_recorded` and, by their last outcome, the positive-outcome
measures). The district is the LSOA name without its trailing code ("Blackburn with Darwen
001A" -> Blackburn with Darwen), which holds for 2011 and 2021 LSOAs alike. A row with no
location, or an LSOA outside the 14 districts, is `unallocated`: it counts in force totals only.
Other crime types are counted in the load summary and not stored. A Crime ID repeated within a
file (police.uk publishes repeats, and crimes of two types sharing an ID, one of them without a
location) is kept row by row, as police.uk counts rows, and counted in the load summary; an
outcome for that ID applies to each of its rows.

Outcomes files update the last outcome of shoplifting crimes already loaded, by Crime ID.

Rows are checked by hand rather than by pydantic: these files run to millions of rows and
the checks are few (a few microseconds a row; `bench/load_policeuk.py` profiles them).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, NamedTuple

import pandas as pd

from config import Catalogue
from db.models import UNALLOCATED
from ingest.base import Kind, Report, shown, text

STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
OUTCOME_COLUMNS = (*STREET_COLUMNS[:9], "Outcome type")
ASB = "Anti-social behaviour"
SHOPLIFTING = "Shoplifting"
CRIME_ID = re.compile(r"^[0-9a-f]{64}$")
LSOA_CODE = re.compile(r"^[EW]0\d{7}$")
LSOA_NAME = re.compile(r"^(.*\S)\s+\d{3}[A-Z]$")
REPEATED_ID = "shoplifting rows repeating an earlier Crime ID (kept: police.uk counts rows)"


class AsbRow(NamedTuple):
    month: date
    district_code: str | None


class CrimeRow(NamedTuple):
    crime_id: str
    month: date
    district_code: str | None
    lsoa_code: str | None
    last_outcome: str


class OutcomeRow(NamedTuple):
    crime_id: str
    month: date
    outcome: str


class _PoliceUk(Kind):
    source = "policeuk"

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.force = catalogue.geography.police_force
        self._seen: dict[Any, int] = {}

    def _common(self, row: int, values: dict[str, Any], report: Report) -> date | None:
        falls_within = text(values["Falls within"])
        if falls_within != self.force:
            report(row, "Falls within", f"{shown(falls_within)} is not {self.force}")
        month = self.month(row, "Month", values["Month"], report)
        code = text(values["LSOA code"])
        if code and not LSOA_CODE.match(code):
            report(row, "LSOA code", f"{shown(code)} is not an LSOA code (E01234567)")
        return month

    def _crime_id(self, row: int, values: dict[str, Any], report: Report) -> str | None:
        crime_id = text(values["Crime ID"])
        if not CRIME_ID.match(crime_id):
            report(
                row, "Crime ID", f"{shown(crime_id)} is not a police.uk Crime ID (64 hex digits)"
            )
            return None
        return crime_id

    def _first(self, key: Any, row: int, column: str, report: Report) -> None:
        earlier = self._seen.setdefault(key, row)
        if earlier != row:
            report(row, column, f"duplicate of row {earlier}")


class Street(_PoliceUk):
    name = "policeuk-street"
    title = "police.uk street-level crime and ASB file"
    required = STREET_COLUMNS
    stored_only = ("Crime type", frozenset({SHOPLIFTING}))

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.positive = catalogue.outcomes.shoplifting_positive.is_positive
        self.crime_ids: set[str] = set()  # pass 1 only: repeated IDs are counted
        self.asb: Counter[tuple[date, str | None]] = Counter()
        self.crimes: Counter[tuple[date, str | None]] = Counter()
        self.positives: Counter[tuple[date, str | None]] = Counter()
        self._districts: dict[str, str | None] = {}

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        month = self._common(row, values, report)
        crime_type = text(values["Crime type"])
        if not crime_type:
            report(row, "Crime type", "missing crime type")
            return None
        if crime_type not in (ASB, SHOPLIFTING):
            return crime_type
        district = self._district(text(values["LSOA name"]))
        if crime_type == ASB:
            return AsbRow(month, district) if month else None
        crime_id = self._crime_id(row, values, report)
        if not (month and crime_id):
            return None
        lsoa = text(values["LSOA code"]) or None
        return CrimeRow(crime_id, month, district, lsoa, text(values["Last outcome category"]))

    def _district(self, lsoa_name: str) -> str | None:
        if lsoa_name not in self._districts:
            match = LSOA_NAME.match(lsoa_name)
            found = self.district_by_name.get(match.group(1).casefold()) if match else None
            self._districts[lsoa_name] = found
        return self._districts[lsoa_name]

    def add(self, record: Any) -> None:
        if isinstance(record, str):
            self.count("rows of other crime types (not used)")
            return
        self.months.add(record.month)
        key = (record.month, record.district_code)
        if record.district_code is None:
            self.count("rows unallocated (no location, or outside the 14 districts)")
        if isinstance(record, AsbRow):
            self.count("ASB rows")
            self.asb[key] += 1
        else:
            self.count("shoplifting rows")
            if record.crime_id in self.crime_ids:
                self.count(REPEATED_ID)
            self.crime_ids.add(record.crime_id)
            self.crimes[key] += 1
            self.positives[key] += self.positive(record.last_outcome)

    def observations(self) -> pd.DataFrame:
        """ASB incidents, recorded shoplifting and (by the file's own last outcomes) positive
        outcomes for every month of the file: each district, zeros included, and the
        unallocated rows at force level, so that force totals equal the file's rows."""
        districts = [d.ons_code for d in self.catalogue.geography.district]
        rows = []
        for month in sorted(self.months):
            for area in [*districts, None]:
                key = (month, area)
                crimes, positive = self.crimes[key], self.positives[key]
                base = {
                    "level": "district" if area else "force",
                    "area_code": area or UNALLOCATED,
                    "month": month,
                }
                rows += [
                    {**base, "measure_code": "asb_incidents", "value": self.asb[key]},
                    {**base, "measure_code": "shoplifting_recorded", "value": crimes},
                    {**base, "measure_code": "shoplifting_positive_outcomes", "value": positive},
                    {
                        **base,
                        "measure_code": "shoplifting_positive_outcome_rate",
                        "value": 100 * positive / crimes if crimes else 0.0,
                        "numerator": positive,
                        "denominator": crimes,
                    },
                ]
        return observation_frame(rows)


class Outcomes(_PoliceUk):
    name = "policeuk-outcomes"
    title = "police.uk outcomes file"
    required = OUTCOME_COLUMNS

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        month = self._common(row, values, report)
        crime_id = self._crime_id(row, values, report)
        outcome = text(values["Outcome type"])
        if not outcome:
            report(row, "Outcome type", "missing outcome type")
        elif len(outcome) > 120:
            report(row, "Outcome type", "longer than 120 characters")
        if not (month and crime_id and outcome and len(outcome) <= 120):
            return None
        self._first((crime_id, month, outcome), row, "Crime ID", report)
        return OutcomeRow(crime_id, month, outcome)

    def add(self, record: Any) -> None:
        self.months.add(record.month)
        self.count("outcome rows")


def observation_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as an observations frame with every column the table needs."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "measure_code",
            "level",
            "area_code",
            "month",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "note",
        ],
    )
    breakdown = frame["breakdown"].astype(object)
    frame["breakdown"] = breakdown.where(breakdown.notna(), "total")
    frame["value"] = frame["value"].astype(float)
    return frame
