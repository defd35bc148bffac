"""The store: migrations create the schema the models describe; init is idempotent."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from config import get_catalogue
from db.engine import session_scope
from db.migrate import current_revision, head_revision
from db.models import AuditEntry, Base, Target
from db.store import init_store
from tests.conftest import table_counts


def test_init_creates_the_schema_the_models_describe(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_init_twice_changes_nothing(store):
    catalogue = get_catalogue()
    assert init_store(engine=store.engine, catalogue=catalogue, actor="tests") == 15
    with session_scope(store.engine) as session:
        before = table_counts(session=session)
    assert init_store(engine=store.engine, catalogue=catalogue, actor="tests") == 0
    with session_scope(store.engine) as session:
        assert table_counts(session=session) == before
    assert before["divisions"] == 3
    assert before["districts"] == 14
    assert before["operations"] == 3
    assert before["measures"] == 15
    assert before["targets"] == 15


def test_changed_target_supersedes_the_old_one_and_is_audited(store, tmp_path):
    import shutil

    from config import PROJECT_ROOT, load_catalogue

    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    folder = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", folder)
    targets = folder / "targets.toml"
    targets.write_text(
        targets.read_text().replace(
            'measure = "asb_incidents"\nkind = "directional"',
            'measure = "asb_incidents"\nkind = "percent_change"\nvalue = -5.0',
        )
    )
    assert init_store(engine=store.engine, catalogue=load_catalogue(folder), actor="analyst") == 1
    with session_scope(store.engine) as session:
        rows = session.scalars(
            select(Target).where(Target.measure_code == "asb_incidents").order_by(Target.id)
        ).all()
        assert [(t.kind, t.value, t.superseded_at is None) for t in rows] == [
            ("directional", None, False),
            ("percent_change", -5.0, True),
        ]
        entries = session.scalars(select(AuditEntry).where(AuditEntry.actor == "analyst")).all()
        assert [(e.action, e.entity) for e in entries] == [("target set", "asb_incidents")]


def test_a_store_with_data_upgrades_from_0002_and_back(store):
    """Schema 0003 keeps the shoplifting crimes of 0002 (their type), makes a percentage of
    nothing empty (0002 stored 0), and downgrades again."""
    from alembic import command
    from sqlalchemy import text

    from db.migrate import alembic_config

    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with store.engine.begin() as connection:
        connection.execute(text("INSERT INTO divisions (name) VALUES ('East')"))
        connection.execute(
            text("INSERT INTO districts VALUES ('E07000117', 'Burnley', 'East', 'Burnley', 1, 'x')")
        )
        connection.execute(
            text("INSERT INTO measures VALUES ('rate', 'Rate', 'percent', 'increase', 'ratio')")
        )
        connection.execute(
            text(
                "INSERT INTO loads (id, source, file_name, file_hash, rows, loaded_by, loaded_at,"
                " is_demo, summary, kind) VALUES (1, 'policeuk', 'f', 'h', 1, 't',"
                " '2026-01-01 00:00:00', false, '', 'policeuk-street')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO crimes (crime_id, month, district_code, lsoa_code, last_outcome,"
                " load_id) VALUES (:id, '2024-01-01', 'E07000117', NULL, 'x', 1)"
            ),
            {"id": "a" * 64},
        )
        connection.execute(
            text(
                "INSERT INTO observations (measure_code, level, area_code, month, breakdown,"
                " value, numerator, denominator, load_id) VALUES ('rate', 'district',"
                " 'E07000117', '2024-01-01', 'total', 0, 0, 0, 1)"
            )
        )
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT crime_type FROM crimes")).all() == [("Shoplifting",)]
        assert connection.execute(text("SELECT value FROM observations")).all() == [(None,)]
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM observations")).all() == [(0.0,)]
        assert connection.execute(text("SELECT count(*) FROM crimes")).scalar() == 1


def test_one_engine_per_store_and_a_forked_child_opens_its_own_connections(store):
    """The pool is kept per URL; a child process forked with connections pooled never uses
    the parent's (SQLAlchemy's "Using Connection Pools with Multiprocessing")."""
    import multiprocessing

    from db.engine import make_engine, read_scope

    assert make_engine(store.url) is store.engine
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with read_scope(store.engine) as session:
        audited = session.execute(select(AuditEntry.id)).all()
    assert store.engine.pool.checkedin() >= 1
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        pooled_in_child = pool.apply(_pooled_after_fork, (store.url,))
    assert pooled_in_child == 0
    with read_scope(store.engine) as session:  # the parent's own connections still work
        assert session.execute(select(AuditEntry.id)).all() == audited


def _pooled_after_fork(url: str) -> int:
    from db.engine import make_engine

    return make_engine(url).pool.checkedin()


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)  # SQLite has no server
def test_a_connection_the_server_closed_is_replaced_before_use(store):
    """A pooled connection PostgreSQL has closed (a restart, an idle timeout) is found by the
    pre-ping and replaced: the next session works."""
    from sqlalchemy import text

    from db.engine import read_scope

    with read_scope(store.engine) as session:
        pid = session.scalar(text("SELECT pg_backend_pid()"))
    with store._drop[0].begin() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with read_scope(store.engine) as session:
        assert session.scalar(text("SELECT pg_backend_pid()")) != pid
