"""one load of the same bytes at a time: a partial unique index on loads(file_hash)

The "already loaded" check in `db.writes` reads before it writes, so two loads of the same
file at the same moment could both pass it; the database now refuses the second. Only loads
not undone count: a file undone may be loaded again. Demonstration loads hash their seed, and
a new demo load removes the old one first.

A store that already holds the same bytes twice (the race this closes) cannot take the index:
the upgrade stops, naming the loads, and changes nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEX = "ix_loads_file_hash_current"
CURRENT = sa.text("undone_at IS NULL")


def upgrade() -> None:
    twice = op.get_bind().execute(
        sa.text(
            "SELECT file_hash, MIN(id), MAX(id), COUNT(*) FROM loads WHERE undone_at IS NULL "
            "GROUP BY file_hash HAVING COUNT(*) > 1 ORDER BY MIN(id)"
        )
    ).all()
    if twice:
        named = "; ".join(f"loads {first} and {last} ({n} in all)" for _, first, last, n in twice)
        raise RuntimeError(
            f"The store holds the same file loaded more than once: {named}. Undo the later "
            "load(s) with the dashboard's previous version (`python manage.py unload LOAD_ID`), "
            "then run `python manage.py init` again. Nothing was changed."
        )
    op.create_index(
        INDEX,
        "loads",
        ["file_hash"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )


def downgrade() -> None:
    op.drop_index(INDEX, "loads")
