"""Migrations from the first: a store made at revision 0001, holding rows of every table 0001
has, upgrades to the newest revision on SQLite and PostgreSQL with its rows kept, its
aggregates counted from its incidents, and the dashboard's store summary reading it."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from db import aggregates
from db import store as stores
from db.engine import read_scope
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.queries import hour_weekday_counts, monthly_values

BURNLEY, PENDLE = "E07000117", "E07000122"
JANUARY, FEBRUARY = date(2025, 1, 1), date(2025, 2, 1)
# (reference, occurred at, district): Burnley 2 in January and 1 in February, Pendle 1 and 2
INCIDENTS = [
    ("INC/1", datetime(2025, 1, 6, 9, 30), BURNLEY),  # a Monday, 09:00
    ("INC/2", datetime(2025, 1, 6, 9, 45), BURNLEY),
    ("INC/3", datetime(2025, 2, 4, 22, 0), BURNLEY),  # a Tuesday, 22:00
    ("INC/4", datetime(2025, 1, 11, 14, 5), PENDLE),  # a Saturday, 14:00
    ("INC/5", datetime(2025, 2, 9, 3, 0), PENDLE),  # a Sunday, 03:00
    ("INC/6", datetime(2025, 2, 9, 3, 30), PENDLE),
]
FIGURES = {
    (BURNLEY, JANUARY): 2,
    (BURNLEY, FEBRUARY): 1,
    (PENDLE, JANUARY): 1,
    (PENDLE, FEBRUARY): 2,
}
LOADED = datetime(2025, 3, 2, 8, 0)
# The rows of every table 0001 has, as 0001 names its columns
ROWS = {
    "divisions": [{"name": "East"}],
    "districts": [
        {
            "ons_code": code,
            "name": name,
            "division": "East",
            "hotspot": "town centre",
            "population": 90_000,
            "population_source": "ONS mid-2023",
        }
        for code, name in ((BURNLEY, "Burnley"), (PENDLE, "Pendle"))
    ],
    "measures": [
        {
            "code": "asb_incidents",
            "title": "ASB incidents",
            "unit": "count",
            "good_direction": "down",
            "aggregation": "sum",
        }
    ],
    "operations": [{"code": "centurion", "name": "Operation Centurion", "specific": "Fewer ASB"}],
    "measure_operations": [{"measure_code": "asb_incidents", "operation_code": "centurion"}],
    "loads": [
        {
            "id": 1,
            "source": "incidents",
            "file_name": "extract.csv",
            "file_hash": "ab" * 32,
            "rows": 6,
            "loaded_by": "analyst",
            "loaded_at": LOADED,
            "is_demo": False,
            "summary": "6 incidents",
        }
    ],
    "observations": [
        {
            "id": n,
            "measure_code": "asb_incidents",
            "level": "district",
            "area_code": code,
            "month": month,
            "breakdown": "total",
            "value": float(value),
            "numerator": None,
            "denominator": None,
            "load_id": 1,
        }
        for n, ((code, month), value) in enumerate(FIGURES.items(), start=1)
    ],
    "targets": [
        {
            "id": 1,
            "measure_code": "asb_incidents",
            "area": "Lancashire",
            "kind": "directional",
            "value": None,
            "period_start": date(2024, 4, 1),
            "period_end": date(2027, 3, 1),
            "rationale": "the plan",
            "set_by": "configuration",
            "set_at": datetime(2025, 1, 1),
            "superseded_at": None,
        }
    ],
    "asb_incidents": [
        {
            "id": n,
            "reference": reference,
            "occurred_at": at,
            "month": at.date().replace(day=1),
            "hour": at.hour,
            "weekday": at.weekday(),
            "district_code": code,
            "lsoa_code": None,
            "category": "nuisance",
            "vehicle_involved": False,
            "repeat_victim": n % 2 == 0,
            "vulnerable_victim": False,
            "channel": "101",
            "load_id": 1,
        }
        for n, (reference, at, code) in enumerate(INCIDENTS, start=1)
    ],
    "audit_log": [
        {
            "id": 1,
            "at": LOADED,
            "actor": "analyst",
            "action": "loaded",
            "entity": "loads",
            "detail": "extract.csv",
        }
    ],
}
TYPES = [(bool, sa.Boolean()), (datetime, sa.DateTime()), (date, sa.Date()),
         (float, sa.Float()), (int, sa.Integer()), (str, sa.String())]  # fmt: skip


def as_table(name: str, rows: list[dict]) -> sa.TableClause:
    """A table of 0001 as its rows describe it (each column typed by its first value, which
    the SQL types bind: a date as SQLite's ISO text, say)."""
    columns = []
    for column, value in rows[0].items():
        kind = next((t for python, t in TYPES if isinstance(value, python)), None)
        columns.append(sa.column(column, kind))  # None: untyped, as NULL needs
    return sa.table(name, *columns)


def test_a_store_made_at_0001_upgrades_to_the_newest_with_its_rows(store):
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for name, rows in ROWS.items():
            connection.execute(sa.insert(as_table(name, rows)), rows)
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    summary = stores.summary(engine=store.engine)  # as the pages and manage.py read it
    with read_scope(store.engine) as session:
        recounted = aggregates.recount(session=session)  # the aggregates made by 0004-0005
        figures = monthly_values(session=session, level="district", measures=["asb_incidents"])
        hours = hour_weekday_counts(session=session, level="force", start=JANUARY, end=FEBRUARY)
        kept = {
            name: session.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar() for name in ROWS
        }
        load = session.execute(sa.text("SELECT file_name, file_hash, kind FROM loads")).one()
    assert kept == {name: len(rows) for name, rows in ROWS.items()}
    assert recounted == []
    assert tuple(load) == ("extract.csv", "ab" * 32, "")
    assert (summary.loads, summary.observations, summary.incidents) == (1, 4, 6)
    assert (summary.first_month, summary.latest_month) == (JANUARY, FEBRUARY)
    assert (summary.has_real, summary.has_demo) == (True, False)
    assert {(row.area, row.month): row.value for row in figures.itertuples()} == {
        ({BURNLEY: "Burnley", PENDLE: "Pendle"}[code], month): v
        for (code, month), v in FIGURES.items()
    }
    assert sorted(hours[["hour", "weekday", "count"]].itertuples(index=False, name=None)) == [
        (3, 6, 2), (9, 0, 2), (14, 5, 1), (22, 1, 1)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("undone", "refused"),
    [
        (None, "The store holds the same file loaded more than once: loads 1 and 2 (2 in all)"),
        (LOADED, None),  # the first was undone: the file could be loaded again
    ],
)
def test_0010_takes_one_current_load_of_the_same_bytes(store, undone, refused):
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
        rows = [
            ROWS["loads"][0] | {"id": n, "kind": "incidents", "undone_at": None} for n in (1, 2)
        ]
        rows[0]["undone_at"] = undone
        connection.execute(sa.insert(as_table("loads", rows)), rows)
    if refused:
        with pytest.raises(RuntimeError, match=re.escape(refused)):
            upgrade(store.engine)
        assert current_revision(store.engine) == "0009"
    else:
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
