"""Pydantic models of the configuration files in this folder.

Every model forbids unknown keys, so a misspelt key is an error rather than silently ignored.
Cross-file rules (a measure's operation must exist, a target's measure must exist, ...) live in
`Catalogue`, which is what `config.load_catalogue()` returns.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from config.force import FORCE_AREA
from config.vocabulary import Aggregation, Direction, FileKind, Level, TargetKind, Unit
from config.vocabulary import Status as Status  # re-exported: importers name config.models.Status

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

IncidentFlag = Literal["all", "vehicle_involved", "repeat_victim", "vulnerable_victim"]


def parse_month(text: str) -> date:
    """'2024-10' -> date(2024, 10, 1); raises ValueError naming the text otherwise."""
    match = MONTH_PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_text(month: date) -> str:
    """date(2027, 3, 1) -> 'March 2027': how every month is named in text."""
    return f"{month:%B %Y}"


def _valid_month(text: str) -> str:
    parse_month(text)
    return text


MonthText = Annotated[str, AfterValidator(_valid_month)]  # "YYYY-MM", checked


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- geography -------------------------------------------------------------------------------


class PopulationSource(Strict):
    key: str
    title: str
    year: int
    publisher: str


class Division(Strict):
    name: str
    districts: list[str] = Field(min_length=1)


class District(Strict):
    name: str
    ons_code: str = Field(pattern=r"^E0[67]\d{6}$")
    division: str
    hotspot: str
    tile: tuple[int, int]
    centre: tuple[float, float]
    population_mid2020: int = Field(gt=0)
    population_census2021: int = Field(gt=0)


class Geography(Strict):
    force: str
    police_force: str
    policeuk_slug: str = Field(pattern=r"^[a-z0-9-]+$")
    lsoa_2021_first: list[str] = Field(min_length=1)
    map_centre: tuple[float, float]
    map_zoom: float
    population_for_rates: Literal["mid2020", "census2021"]
    population_sources: list[PopulationSource]
    division: list[Division]
    district: list[District]

    @model_validator(mode="after")
    def _consistent(self) -> Geography:
        divisions = {d.name: d for d in self.division}
        names = [d.name for d in self.district]
        for label, values in ((Level.DIVISION, list(divisions)), (Level.DISTRICT, names)):
            seen = {v for v in values if values.count(v) > 1}
            if seen:
                raise ValueError(f"{label} names repeated: {sorted(seen)}")
        codes = [d.ons_code for d in self.district]
        if len(set(codes)) != len(codes):
            raise ValueError("district ONS codes repeated")
        for district in self.district:
            if district.division not in divisions:
                raise ValueError(
                    f"district {district.name!r}: division {district.division!r} is not one of "
                    f"{sorted(divisions)}"
                )
            if district.name not in divisions[district.division].districts:
                listed = [d.name for d in self.division if district.name in d.districts]
                raise ValueError(
                    f"district {district.name!r} is in the wrong division: it says "
                    f"{district.division!r} but division {listed[0] if listed else '(none)'!r} "
                    "lists it"
                )
        for division in self.division:
            for name in division.districts:
                if name not in names:
                    raise ValueError(f"division {division.name!r} lists unknown district {name!r}")
        return self

    @field_validator("lsoa_2021_first")
    @classmethod
    def _lsoa_codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not re.fullmatch(r"[EW]01\d{6}", code):
                raise ValueError(f"{code!r} is not an LSOA code (E01234567)")
        if len({c[0] for c in codes}) != len(codes):
            raise ValueError("one first 2021 code per country (E, W)")
        return codes

    def lsoa_vintage(self, code: str) -> int:
        """2021 for an LSOA code first issued for the 2021 census, else 2011."""
        first = next((f for f in self.lsoa_2021_first if f[0] == code[:1]), None)
        return 2021 if first is not None and code >= first else 2011

    def district_by_name(self, name: str) -> District:
        return next(d for d in self.district if d.name == name)

    def districts_of(self, division: str) -> list[District]:
        return [d for d in self.district if d.division == division]

    def population(self, district: District) -> int:
        """The population used for rates per 1,000 (see `population_for_rates`)."""
        if self.population_for_rates == "mid2020":
            return district.population_mid2020
        return district.population_census2021


# --- operations ------------------------------------------------------------------------------


class Operation(Strict):
    code: str = Field(pattern=r"^[a-z_]+$")
    name: str
    short_name: str
    url_path: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")  # its page: /<url_path>
    icon: str = Field(pattern=r"^:material/[a-z0-9_]+:$")  # its page's icon
    specific: str
    measurable: list[str] = Field(min_length=1)
    achievable: str
    relevant: str
    time_bound: str


class Operations(Strict):
    plan_peak_hours: tuple[int, int]
    operation: list[Operation] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> Operations:
        for key in ("code", "url_path"):
            values = [getattr(o, key) for o in self.operation]
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"operation {key}s repeated: {repeated}")
        return self

    def by_url_path(self, url_path: str) -> Operation:
        """The operation whose page is at /`url_path`."""
        try:
            return next(o for o in self.operation if o.url_path == url_path)
        except StopIteration:
            raise KeyError(f"no operation has its page at /{url_path}") from None


# --- measures --------------------------------------------------------------------------------


class Breakdown(Strict):
    name: str
    values: list[str] = Field(min_length=2)


class Period(Strict):
    start: MonthText
    end: MonthText

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if parse_month(self.end) < parse_month(self.start):
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def first(self) -> date:
        return parse_month(self.start)

    @property
    def last(self) -> date:
        return parse_month(self.end)


class PoliceUkMapping(Strict):
    """How a measure is counted from police.uk street records: the rows of `crime_types`, and
    for `outcomes` (a group in outcomes.toml) only those whose last outcome is in the group.
    A ratio measure is the rows in the group as a percentage of all the rows of its types."""

    crime_types: list[str] = Field(min_length=1)
    outcomes: str | None = None


class PublicWords(Strict):
    """How the public summary names and explains a measure to residents: a heading, the noun
    for one and for several, and what is counted, in plain English (short words and
    sentences: the summary aims at a reading age of about 9, as GOV.UK does)."""

    heading: str = Field(min_length=1)
    one: str = Field(min_length=1)
    many: str = Field(min_length=1)
    counted: str = Field(min_length=1)


class Measure(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    tier: Literal["core", "supporting"]
    title: str
    short_title: str
    operations: list[str] = Field(min_length=1)
    definition: str
    unit: Unit
    good_direction: Direction
    aggregation: Aggregation
    rate_per_1000: bool = False
    small_numbers: bool = False
    breakdown: Breakdown | None = None
    from_incidents: IncidentFlag | None = None
    policeuk: PoliceUkMapping | None = None
    source: str
    sources: list[FileKind] = Field(min_length=1)
    owner: str
    baseline: Period = Period(start="2024-10", end="2025-09")
    seasonal: bool = False
    maturity_months: int = Field(default=0, ge=0, le=12)
    outcome_maturity_months: int = Field(default=0, ge=0, le=24)
    caveats: list[str] = []
    public: PublicWords | None = None  # needed when the public summary shows the measure

    @model_validator(mode="after")
    def _coherent(self) -> Measure:
        pooled = self.aggregation in (Aggregation.RATIO, Aggregation.SURVEY)
        if pooled and self.unit != Unit.PERCENT:
            raise ValueError(f"a {self.aggregation} measure must have unit 'percent'")
        if self.aggregation != Aggregation.SUM and (self.rate_per_1000 or self.from_incidents):
            raise ValueError("only 'sum' measures can have rate_per_1000 or from_incidents")
        if len(set(self.sources)) != len(self.sources):
            raise ValueError("sources lists a kind of file twice")
        if (FileKind.INCIDENTS in self.sources) != (self.from_incidents is not None):
            raise ValueError("'incidents' must be in sources exactly when from_incidents is set")
        if self.seasonal and self.small_numbers:
            raise ValueError("a small-numbers measure cannot be seasonally adjusted")
        if (FileKind.POLICEUK in self.sources) != (self.policeuk is not None):
            raise ValueError("'policeuk' must be in sources exactly when policeuk is set")
        if self.policeuk and self.aggregation == Aggregation.SURVEY:
            raise ValueError("police.uk records cannot give a survey measure")
        if self.aggregation == Aggregation.RATIO and self.policeuk and not self.policeuk.outcomes:
            raise ValueError("a ratio counted from police.uk needs policeuk.outcomes")
        if self.outcome_maturity_months and not (self.policeuk and self.policeuk.outcomes):
            raise ValueError("outcome_maturity_months needs police.uk outcomes (policeuk.outcomes)")
        return self


class Measures(Strict):
    incidents_measure: str  # counted from incident records: its breakdown is the ASB categories
    measure: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _incidents_measure(self) -> Measures:
        found = next((m for m in self.measure if m.code == self.incidents_measure), None)
        if found is None:
            raise ValueError(
                f"incidents_measure: no measure has the code {self.incidents_measure!r}"
            )
        if found.from_incidents != "all" or found.breakdown is None:
            raise ValueError(
                f"incidents_measure: {found.code!r} must count every incident record "
                '(from_incidents = "all") and have a breakdown (the ASB categories)'
            )
        return self

    @property
    def incidents(self) -> Measure:
        """The measure counted from every incident record (`incidents_measure`)."""
        return next(m for m in self.measure if m.code == self.incidents_measure)

    @property
    def incident_categories(self) -> list[str]:
        """The ASB categories of incident records: the incidents measure's breakdown."""
        breakdown = self.incidents.breakdown
        return list(breakdown.values) if breakdown else []


# --- targets ---------------------------------------------------------------------------------


class Target(Strict):
    measure: str
    area: str = FORCE_AREA
    kind: TargetKind
    value: float | None = None
    period: Period  # default: the target year of targets.toml (`Targets.period`)
    trajectory: Literal["linear", "quadratic"] = "linear"
    rationale: str
    set_by: str

    @model_validator(mode="after")
    def _value(self) -> Target:
        if self.kind == TargetKind.DIRECTIONAL and self.value is not None:
            raise ValueError("a directional target has no value")
        if self.kind != TargetKind.DIRECTIONAL and self.value is None:
            raise ValueError(f"a {self.kind} target needs a value")
        return self


class Targets(Strict):
    period: Period  # the plan's target year: each target's period unless it sets its own
    target: list[Target] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _default_period(cls, raw: object) -> object:
        """Give every target without its own `period` the target year."""
        if isinstance(raw, dict) and isinstance(raw.get("target"), list):
            year = raw.get("period")
            targets = [
                {"period": year, **t} if isinstance(t, dict) and year is not None else t
                for t in raw["target"]
            ]
            return {**raw, "target": targets}
        return raw


# --- public summary --------------------------------------------------------------------------


class PublicSummary(Strict):
    """`config/public.toml`: the six-monthly public summary's period and measures (codes of
    count measures, checked by `Catalogue.cross_check`)."""

    months: int = Field(ge=1, le=12)
    end_months: list[int] = Field(min_length=1)
    measures: list[str] = Field(min_length=1)

    @property
    def end_month_names(self) -> str:
        """The months of the year a period ends in, in words: "March or September"."""
        names = [f"{date(2000, m, 1):%B}" for m in sorted(set(self.end_months))]
        return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)

    @model_validator(mode="after")
    def _periods_apart(self) -> PublicSummary:
        ends = sorted(set(self.end_months))
        if any(not 1 <= m <= 12 for m in ends):
            raise ValueError("end_months are months of the year, 1 to 12")
        gaps = [b - a for a, b in pairwise(ends)] + [12 + ends[0] - ends[-1]]
        if min(gaps) < self.months:
            raise ValueError(f"end_months closer than {self.months} months make periods overlap")
        return self
