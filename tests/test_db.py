"""The store: migrations create the schema the models describe; init is idempotent."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from config import get_catalogue
from db.engine import session_scope
from db.migrate import current_revision, head_revision
from db.models import AuditEntry, Base, Target
from db.queries import table_counts
from db.store import init_store


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
