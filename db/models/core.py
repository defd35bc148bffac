"""The store's reference and data tables (SQLAlchemy 2.0 models, see `db.models`). The schema
itself is created by alembic migrations (`db/migrations/`), never by `create_all`;
`tests/test_db.py` checks the two agree.

Reference tables (divisions, districts, operations, measures, targets from configuration) are
refreshed from `config/` by `db.reference.sync_reference`. Data tables record the load each row
came from, so a load can be removed exactly.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from config.vocabulary import TOTAL, UNALLOCATED
from db.models.base import Base

__all__ = ["TOTAL", "UNALLOCATED"]


class Division(Base):
    __tablename__ = "divisions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)


class District(Base):
    __tablename__ = "districts"
    ons_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    division: Mapped[str] = mapped_column(ForeignKey("divisions.name"))
    hotspot: Mapped[str] = mapped_column(String(60))
    population: Mapped[int] = mapped_column(Integer)
    population_source: Mapped[str] = mapped_column(String(120))


class Operation(Base):
    __tablename__ = "operations"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    specific: Mapped[str] = mapped_column(Text)


class Measure(Base):
    __tablename__ = "measures"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    good_direction: Mapped[str] = mapped_column(String(10))
    aggregation: Mapped[str] = mapped_column(String(10))


class MeasureOperation(Base):
    __tablename__ = "measure_operations"
    measure_code: Mapped[str] = mapped_column(ForeignKey("measures.code"), primary_key=True)
    operation_code: Mapped[str] = mapped_column(ForeignKey("operations.code"), primary_key=True)


class Target(Base):
    """A target and who set it when. A changed target closes the old row (`superseded_at`)."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    measure_code: Mapped[str] = mapped_column(ForeignKey("measures.code"))
    area: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    rationale: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)


class Load(Base):
    """One file or generated dataset written to the store. `source` is the kind of file that
    decides priority (demo, incidents, policeuk, returns); `kind` says more (policeuk-street or
    policeuk-outcomes). An undone load keeps its row, with `undone_at`, so history is complete."""

    __tablename__ = "loads"
    __table_args__ = (
        # one load of the same bytes at a time, enforced by the database (migration 0010)
        Index(
            "ix_loads_file_hash_current",
            "file_hash",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
        {"sqlite_autoincrement": True},  # never reuse the id of an undone load
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    first_month: Mapped[date | None] = mapped_column(Date)
    last_month: Mapped[date | None] = mapped_column(Date)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(120))


class Observation(Base):
    """A monthly value of a measure for an area (and optionally one breakdown category).

    `level` is "district" (area_code an ONS code) or "force" (area_code "unallocated": rows
    with no location or outside the districts, counted in force totals only). Several loads
    may give the same measure, area and month; `shown` marks the one the dashboard reads (the
    measure's highest-priority source for that month, then the newest load), kept up to date
    by `db.writes.refresh_shown`."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("measure_code", "level", "area_code", "month", "breakdown", "load_id"),
        Index("ix_observations_measure_month", "measure_code", "month"),
        Index("ix_observations_load", "load_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    measure_code: Mapped[str] = mapped_column(ForeignKey("measures.code"))
    level: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(60))
    month: Mapped[date] = mapped_column(Date)
    breakdown: Mapped[str] = mapped_column(String(60), default=TOTAL)
    value: Mapped[float | None] = mapped_column(Float)  # empty: a percentage of nothing
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    shown: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    note: Mapped[str | None] = mapped_column(Text)


class AsbIncident(Base):
    """One ASB incident. `reference` is pseudonymous; no names or addresses are ever stored.
    `hour` and `weekday` (0 = Monday) are kept from `occurred_at` so time patterns are counted
    in the database; they are empty when only the month is known. `load_id` and
    `district_code` have no foreign keys: only the loader writes rows, for the load it has just
    made and with the catalogue's codes, and PostgreSQL's check of every row was three fifths
    of a load's time (migration 0006). `manage.py check` lists any row of an unknown load or
    district (`db.aggregates.recount`)."""

    __tablename__ = "asb_incidents"
    # one index: a load's rows (undo), and a load's rows of a month (which load is shown)
    __table_args__ = (Index("ix_asb_incidents_load_month", "load_id", "month"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime)
    month: Mapped[date] = mapped_column(Date)
    hour: Mapped[int | None] = mapped_column(SmallInteger)
    weekday: Mapped[int | None] = mapped_column(SmallInteger)
    district_code: Mapped[str | None] = mapped_column(String(9))
    lsoa_code: Mapped[str | None] = mapped_column(String(9))
    category: Mapped[str] = mapped_column(String(20))
    vehicle_involved: Mapped[bool] = mapped_column(Boolean)
    repeat_victim: Mapped[bool] = mapped_column(Boolean)
    vulnerable_victim: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(40))
    load_id: Mapped[int] = mapped_column(Integer)
    shown: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Crime(Base):
    """A police.uk street-level row of a crime type some measure counts (config/measures.toml,
    `policeuk`), as published: ASB rows have no Crime ID, and a Crime ID can repeat. Crimes
    with an ID take later outcomes from outcomes files (`CrimeOutcome`). `district_code` has no
    foreign key: the loader writes only the catalogue's codes, and PostgreSQL's check of every
    row cost a fifth of a load (bench/load_policeuk.py)."""

    __tablename__ = "crimes"
    __table_args__ = (
        Index("ix_crimes_crime_id", "crime_id"),
        Index("ix_crimes_month_load", "month", "load_id"),  # a month's rows of its newest load
        Index("ix_crimes_load", "load_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    crime_id: Mapped[str | None] = mapped_column(String(64))
    month: Mapped[date] = mapped_column(Date)
    crime_type: Mapped[str] = mapped_column(String(60), server_default="Shoplifting")
    district_code: Mapped[str | None] = mapped_column(String(9))
    lsoa_code: Mapped[str | None] = mapped_column(String(9))
    last_outcome: Mapped[str] = mapped_column(String(120))
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))


class CrimeOutcome(Base):
    """An outcome from a police.uk outcomes file. A crime's last outcome is the latest of these
    by month (then load), or the street file's own when it has none."""

    __tablename__ = "crime_outcomes"
    __table_args__ = (
        Index("ix_crime_outcomes_crime_id", "crime_id"),
        Index("ix_crime_outcomes_load", "load_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    crime_id: Mapped[str] = mapped_column(String(64))
    month: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(120))
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))


class LoadFact(Base):
    """What a load's file said about the quality of one month of data: rows, rows with no
    location, repeated Crime IDs, LSOA vintages, other forces' files skipped (`QualityFact`
    names the facts). Counted while the file is checked; the figures themselves are not."""

    __tablename__ = "load_facts"
    __table_args__ = (Index("ix_load_facts_load", "load_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    month: Mapped[date] = mapped_column(Date)
    fact: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)


class Revision(Base):
    """A month published again: load `load_id` replaced the month's rows of load
    `replaced_load_id`. Rows are the files' own; records added and removed compare the stored
    rows (the crime types some measure counts) as multisets."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_load", "load_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    replaced_load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    month: Mapped[date] = mapped_column(Date)
    rows_before: Mapped[int | None] = mapped_column(Integer)
    rows_after: Mapped[int | None] = mapped_column(Integer)
    records_added: Mapped[int] = mapped_column(Integer)
    records_removed: Mapped[int] = mapped_column(Integer)


class RevisionChange(Base):
    """A figure a revision changed: measure, area and month, before and after."""

    __tablename__ = "revision_changes"
    __table_args__ = (Index("ix_revision_changes_load", "load_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    month: Mapped[date] = mapped_column(Date)
    measure_code: Mapped[str] = mapped_column(ForeignKey("measures.code"))
    level: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(60))
    before: Mapped[float | None] = mapped_column(Float)
    after: Mapped[float | None] = mapped_column(Float)


class AuditEntry(Base):
    """Every change to data, targets, commentary, samples and accounts, and every sign-in and
    failed sign-in: who, when, what. An entry made by the command line also names the
    operating-system user and host it ran as (`db.origin`); the dashboard's leave them NULL."""

    __tablename__ = "audit_log"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text)
    os_user: Mapped[str | None] = mapped_column(String(120))
    host: Mapped[str | None] = mapped_column(String(255))


class StoredScore(Base):
    """The score of one measure in one area at one month (`metrics.scorecard.Score`, as
    `metrics.codec` text), computed once per data version by `scoring` and read by every page,
    `manage.py status` and export. `input_key` digests what it was computed from
    (`metrics.scoreset`), so only scores whose inputs changed are computed again."""

    __tablename__ = "scores"
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    area: Mapped[str] = mapped_column(String(60), primary_key=True)
    input_key: Mapped[str] = mapped_column(String(64))
    has_data: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    probability: Mapped[float | None] = mapped_column(Float)
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class ScoreState(Base):
    """One row: the version (data version and configuration digest) the stored scores were
    last brought up to date for. Pages compare it with the store's version on every run."""

    __tablename__ = "score_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    refreshed_at: Mapped[datetime] = mapped_column(DateTime)
    scores: Mapped[int] = mapped_column(Integer)
    computed: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class TrackRecord(Base):
    """The forecast's track record for one measure (`scoring.trackrecord`), computed once per
    data version: forecasts backtested, chances stated, their Brier score and climatology's,
    and `detail`, JSON of the reliability table and interval coverage by horizon band."""

    __tablename__ = "track_record"
    measure_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    forecasts: Mapped[int] = mapped_column(Integer)
    stated: Mapped[int] = mapped_column(Integer)
    brier: Mapped[float | None] = mapped_column(Float, nullable=True)
    climatology: Mapped[float | None] = mapped_column(Float, nullable=True)
    detail: Mapped[str] = mapped_column(Text)


class IncidentHours(Base):
    """Maintained aggregate: a load's ASB incidents in one month and district (empty: no
    district), counted by hour and weekday: `counts` holds 24 x 7 counts as little-endian
    32-bit integers, hour by hour, Monday first (`db.aggregates.encode`). Written with the
    load's incidents and removed with them, so time patterns never scan incident rows, and a
    year of a force is at most 168 small rows."""

    __tablename__ = "incident_hours"
    __table_args__ = (
        Index("ix_incident_hours_month", "month", "load_id"),
        Index("ix_incident_hours_load", "load_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"))
    month: Mapped[date] = mapped_column(Date)
    district_code: Mapped[str | None] = mapped_column(String(9))
    counts: Mapped[bytes] = mapped_column(LargeBinary)


class IncidentMonth(Base):
    """Maintained aggregate: a load's ASB incident rows in each month. The newest load of a
    month is the one shown (`db.priority.refresh_incidents_shown`), so the store summary adds
    up a few hundred rows here instead of counting incidents."""

    __tablename__ = "incident_months"
    __table_args__ = (Index("ix_incident_months_load", "load_id"),)
    load_id: Mapped[int] = mapped_column(ForeignKey("loads.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    rows: Mapped[int] = mapped_column(Integer)
