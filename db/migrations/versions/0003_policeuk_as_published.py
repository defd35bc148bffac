"""police.uk as published: every counted crime type stored, data-quality facts, revisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Street loads made before this revision stored shoplifting rows only; their ASB figures stay as
they were computed. Load such a month again to store its ASB rows too.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# The district foreign key of `crimes` as each backend named it in 0002 (SQLite: unnamed, named
# here by the convention for batch mode).
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _district_key() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "crimes_district_code_fkey"
    return "fk_crimes_district_code_districts"


def upgrade() -> None:
    # Rows of published files are written only by the loader, with district codes from the
    # catalogue; PostgreSQL's per-row check of this key cost a fifth of a load's time.
    with op.batch_alter_table("crimes", naming_convention=NAMING) as batch:
        batch.drop_constraint(_district_key(), type_="foreignkey")
        batch.alter_column("crime_id", existing_type=sa.String(64), nullable=True)
        batch.add_column(
            sa.Column("crime_type", sa.String(60), server_default="Shoplifting", nullable=False)
        )
    op.drop_index("ix_crimes_month", table_name="crimes")
    op.create_index("ix_crimes_month_load", "crimes", ["month", "load_id"])
    with op.batch_alter_table("observations") as batch:
        batch.alter_column("value", existing_type=sa.Float(), nullable=True)
    # one rule for a percentage of nothing: empty, never 0 (earlier loads stored 0)
    op.execute("UPDATE observations SET value = NULL WHERE denominator = 0")
    op.create_table(
        "load_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("fact", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["loads.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_load_facts_load", "load_facts", ["load_id"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("replaced_load_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("rows_before", sa.Integer(), nullable=True),
        sa.Column("rows_after", sa.Integer(), nullable=True),
        sa.Column("records_added", sa.Integer(), nullable=False),
        sa.Column("records_removed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["loads.id"]),
        sa.ForeignKeyConstraint(["replaced_load_id"], ["loads.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revisions_load", "revisions", ["load_id"])
    op.create_table(
        "revision_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("measure_code", sa.String(60), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("area_code", sa.String(60), nullable=False),
        sa.Column("before", sa.Float(), nullable=True),
        sa.Column("after", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["load_id"], ["loads.id"]),
        sa.ForeignKeyConstraint(["measure_code"], ["measures.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revision_changes_load", "revision_changes", ["load_id"])


def downgrade() -> None:
    op.drop_table("revision_changes")
    op.drop_table("revisions")
    op.drop_table("load_facts")
    op.execute("DELETE FROM crimes WHERE crime_id IS NULL OR crime_type <> 'Shoplifting'")
    op.execute("UPDATE observations SET value = 0 WHERE value IS NULL")
    op.drop_index("ix_crimes_month_load", table_name="crimes")
    op.create_index("ix_crimes_month", "crimes", ["month"])
    with op.batch_alter_table("observations") as batch:
        batch.alter_column("value", existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table("crimes") as batch:
        batch.drop_column("crime_type")
        batch.alter_column("crime_id", existing_type=sa.String(64), nullable=False)
        batch.create_foreign_key(_district_key(), "districts", ["district_code"], ["ons_code"])
