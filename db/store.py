"""Creating and upgrading the store."""

from __future__ import annotations

from sqlalchemy import Engine

from config import Catalogue
from db.engine import read_scope, session_scope
from db.migrate import upgrade
from db.queries import StoreSummary, store_summary
from db.reference import sync_reference


def init_store(*, engine: Engine, catalogue: Catalogue, actor: str) -> int:
    """Create or upgrade the schema, then bring the reference tables in line with `config/`.
    Safe to run any number of times. Returns the number of targets that changed."""
    upgrade(engine)
    with session_scope(engine) as session:
        return sync_reference(session=session, catalogue=catalogue, actor=actor)


def summary(*, engine: Engine) -> StoreSummary:
    with read_scope(engine) as session:
        return store_summary(session=session)
