"""police.uk open data: monthly street-level files and outcomes files, as published.

Street files: every row is checked; the rows of the crime types some measure counts
(config/measures.toml, `policeuk`) become `StreetRecord`s, kept row by row as police.uk counts
rows, repeated Crime IDs included. The district is the LSOA name without its trailing code
("Blackburn with Darwen 001A" -> Blackburn with Darwen), which holds for 2011 and 2021 LSOAs
alike; a row with no location, or an LSOA outside the districts, has no district and counts
in force totals only. Nothing here counts a figure: the store derives every monthly figure
from the records (`db.derive`). What is counted is the quality of each month of the file
(`QualityFact`: rows, no location, outside the districts, repeated Crime IDs, LSOA vintages).

Outcomes files give later outcomes of crimes by Crime ID; every row is kept (a Crime ID can
have several outcome events, or a row published twice).

Only a row that means nothing refuses the file: another force's row, a month that is not a
month, a row with no crime type. A malformed LSOA code or Crime ID is counted and the row kept
(unallocated, or unable to take later outcomes).

Rows are checked by hand rather than by pydantic: these files run to millions of rows and
the checks are few (a few microseconds a row; `bench/load_policeuk.py` profiles them).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, NamedTuple

from config import Catalogue
from config.vocabulary import FileKind, FileLayout, QualityFact
from ingest.base import Kind, Report, RowsAgain, shown, text
from ingest.schema import OUTCOME_LENGTH

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
CRIME_ID = re.compile(r"^[0-9a-f]{64}$")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")  # an LSOA (E01/W01), not an MSOA (E02) or other area
LSOA_NAME = re.compile(r"^(.*\S)\s+\d{3}[A-Z]$")

# Data-quality facts per month (stored in `load_facts`; the Data page words them).
ROWS, KEPT, NO_LOCATION, OUTSIDE = (
    QualityFact.ROWS,
    QualityFact.KEPT,
    QualityFact.NO_LOCATION,
    QualityFact.OUTSIDE,
)
REPEATED, BAD_CODE = QualityFact.REPEATED, QualityFact.UNRECOGNISED_CODE
LSOA_2011, LSOA_2021 = QualityFact.LSOA_2011, QualityFact.LSOA_2021
OUTCOME_ROWS, OTHER_FORCES = QualityFact.OUTCOME_ROWS, QualityFact.OTHER_FORCES


class StreetRecord(NamedTuple):
    crime_id: str | None
    month: date
    crime_type: str
    district_code: str | None
    lsoa_code: str | None
    last_outcome: str


class OutcomeRow(NamedTuple):
    crime_id: str
    month: date
    outcome: str


class _PoliceUk(Kind):
    source = FileKind.POLICEUK

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.force = catalogue.geography.police_force
        self._tally: dict[date, Counter[str]] = {}  # facts per month
        self._ids: set[int] = set()  # 64-bit prefixes of the Crime IDs seen (pass 1)

    @property
    def quality(self) -> dict[tuple[date, str], int]:
        """Data-quality facts per (month, fact)."""
        return {
            (month, fact): n for month, facts in self._tally.items() for fact, n in facts.items()
        }

    def _month(self, month: date) -> Counter[str]:
        facts = self._tally.get(month)
        if facts is None:
            facts = self._tally[month] = Counter()
            self.months.add(month)
        return facts

    def _common(self, row: int, values: dict[str, Any], report: Report) -> date | None:
        falls_within = text(values["Falls within"])
        if falls_within != self.force:
            _common_problem(row, falls_within, self.force, report)
        return self.month(row, "Month", values["Month"], report)

    def note(self, month: date, fact: str, n: int = 1) -> None:
        self._month(month)[fact] += n

    def _repeated(self, crime_id: str) -> bool:
        """Whether a Crime ID (64 characters) was seen earlier in the file. The IDs are kept as
        their 64-bit hashes, so a file of millions of rows stays small in memory (two different
        IDs sharing a hash: about one chance in 10^7 for a million IDs). `Street.check` does the
        same inline."""
        if len(crime_id) != 64:
            return False
        key = hash(crime_id)
        if key in self._ids:
            return True
        self._ids.add(key)
        return False


class Street(_PoliceUk):
    name = FileLayout.POLICEUK_STREET
    title = "police.uk street-level crime and ASB file"
    required = STREET_COLUMNS
    record_type = StreetRecord

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.kept = catalogue.policeuk_crime_types()
        self.vintage = catalogue.geography.lsoa_vintage
        self._districts: dict[str, str | None] = {}
        self._codes: dict[str, str | None] = {}  # LSOA code -> its vintage fact (None: invalid)
        self._types: Counter[str] = Counter()

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        # The hottest function of a load: CSV cells (str) are trimmed inline, and the month,
        # LSOA code and LSOA name of a row are looked up in what earlier rows found.
        month = self._month_cache.get(values["Month"])
        if month is None:
            month = self.month(row, "Month", values["Month"], report)
        force = values["Falls within"]
        if (force.strip() if force.__class__ is str else text(force)) != self.force:
            _common_problem(row, force, self.force, report)
        crime_type = values["Crime type"]
        crime_type = crime_type.strip() if crime_type.__class__ is str else text(crime_type)
        if not crime_type:
            report(row, "Crime type", "missing crime type")
            return None
        if month is None:  # the row's other problem, if any, listed too
            if crime_type in self.kept:
                _outcome(row, "Last outcome category", values, report)
            return None
        code = values["LSOA code"]
        code = code.strip() if code.__class__ is str else text(code)
        valid = (
            bool(code)
            and (self._codes[code] if code in self._codes else self._vintage(code)) is not None
        )
        if code and not valid:
            self.note(month, BAD_CODE)  # counted with the rows of no location
        district = None
        if valid:
            name = values["LSOA name"]
            name = name.strip() if name.__class__ is str else text(name)
            district = self._districts[name] if name in self._districts else self._district(name)
        crime_id = values["Crime ID"]
        crime_id = crime_id.strip() if crime_id.__class__ is str else text(crime_id)
        kept = crime_type in self.kept
        if kept:
            outcome = _outcome(row, "Last outcome category", values, report)
            if outcome is None:
                return None
        # the row is sound: count its quality here, where what it is is known
        facts = self._tally.get(month)
        if facts is None:
            facts = self._month(month)
        facts[ROWS] += 1
        if valid:
            facts[self._codes[code]] += 1
            if district is None:
                facts[OUTSIDE] += 1
        else:
            facts[NO_LOCATION] += 1
        if len(crime_id) == 64:  # a repeat: kept by its 64-bit hash, so memory stays small
            key = hash(crime_id)
            if key in self._ids:
                facts[REPEATED] += 1
            else:
                self._ids.add(key)
        if not kept:
            return None  # checked and counted; not stored
        facts[KEPT] += 1
        self._types[crime_type] += 1
        if crime_id and not CRIME_ID.match(crime_id):
            crime_id = ""  # kept, but it cannot take later outcomes
        return StreetRecord(
            crime_id or None, month, crime_type, district, code if valid else None, outcome
        )

    def _vintage(self, code: str) -> str | None:
        """LSOA_2011 or LSOA_2021 for a valid LSOA code, else None (remembered per code)."""
        if code not in self._codes:
            valid = LSOA_CODE.match(code)
            year = self.vintage(code) if valid else None
            self._codes[code] = None if year is None else (LSOA_2021 if year == 2021 else LSOA_2011)
        return self._codes[code]

    def _district(self, lsoa_name: str) -> str | None:
        if lsoa_name not in self._districts:
            match = LSOA_NAME.match(lsoa_name)
            found = self.district_by_name.get(match.group(1).casefold()) if match else None
            self._districts[lsoa_name] = found
        return self._districts[lsoa_name]

    def finish(self, report: Report, rows_again: RowsAgain) -> None:  # noqa: ARG002 (Kind.finish)
        for crime_type, n in self._types.items():
            self.count(f"{crime_type} rows", n)
        self.facts = dict(sorted(self.facts.items()))  # the same order whatever the rows' order
        totals: Counter[str] = Counter()
        for facts in self._tally.values():
            totals.update(facts)
        self.count(
            "rows of other crime types (not used)", totals.get(ROWS, 0) - totals.get(KEPT, 0)
        )
        unallocated = totals.get(NO_LOCATION, 0) + totals.get(OUTSIDE, 0)
        self.count(
            "rows with no location or outside the districts (force totals only)", unallocated
        )
        self.count(
            "rows repeating an earlier Crime ID (kept: police.uk counts rows)",
            totals.get(REPEATED, 0),
        )


class Outcomes(_PoliceUk):
    name = FileLayout.POLICEUK_OUTCOMES
    title = "police.uk outcomes file"
    required = OUTCOME_COLUMNS
    record_type = OutcomeRow

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        month = self._common(row, values, report)
        crime_id = text(values["Crime ID"])
        known = CRIME_ID.match(crime_id)
        if not known:
            report(
                row, "Crime ID", f"{shown(crime_id)} is not a police.uk Crime ID (64 hex digits)"
            )
        outcome = _outcome(row, "Outcome type", values, report)
        if outcome == "":
            report(row, "Outcome type", "missing outcome type")
        if not (known and outcome and month):
            return None
        return OutcomeRow(crime_id, month, outcome)

    def add(self, record: Any) -> None:
        self.note(record.month, OUTCOME_ROWS)
        self.count("outcome rows")
        if self._repeated(record.crime_id):  # several outcome events of one crime are usual
            self.count("rows repeating an earlier Crime ID (each kept)")


def _outcome(row: int, column: str, values: dict[str, Any], report: Report) -> str | None:
    """An outcome category, or None after reporting one too long to be a police.uk category."""
    outcome = text(values[column])
    if len(outcome) > OUTCOME_LENGTH:
        report(row, column, f"longer than {OUTCOME_LENGTH} characters: not a police.uk category")
        return None
    return outcome


def _common_problem(row: int, value: Any, force: str, report: Report) -> None:
    report(row, "Falls within", f"{shown(text(value))} is not {force}")
