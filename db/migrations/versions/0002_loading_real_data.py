"""loading real data: crimes and outcomes, shown flags, load months and undo

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column(
        "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
    )


def upgrade() -> None:
    op.add_column("loads", sa.Column("kind", sa.String(20), server_default="", nullable=False))
    op.add_column("loads", sa.Column("first_month", sa.Date(), nullable=True))
    op.add_column("loads", sa.Column("last_month", sa.Date(), nullable=True))
    op.add_column("loads", sa.Column("undone_at", sa.DateTime(), nullable=True))
    op.add_column("loads", sa.Column("undone_by", sa.String(120), nullable=True))
    op.add_column(
        "observations", sa.Column("shown", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.add_column("observations", sa.Column("note", sa.Text(), nullable=True))
    op.add_column(
        "asb_incidents", sa.Column("shown", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.create_table(
        "crimes",
        _id(),
        sa.Column("crime_id", sa.String(64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("district_code", sa.String(9), nullable=True),
        sa.Column("lsoa_code", sa.String(9), nullable=True),
        sa.Column("last_outcome", sa.String(120), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_code"], ["districts.ons_code"]),
        sa.ForeignKeyConstraint(["load_id"], ["loads.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_crimes_crime_id", "crimes", ["crime_id"])
    op.create_index("ix_crimes_month", "crimes", ["month"])
    op.create_index("ix_crimes_load", "crimes", ["load_id"])
    op.create_table(
        "crime_outcomes",
        _id(),
        sa.Column("crime_id", sa.String(64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(120), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["loads.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_crime_outcomes_crime_id", "crime_outcomes", ["crime_id"])
    op.create_index("ix_crime_outcomes_load", "crime_outcomes", ["load_id"])


def downgrade() -> None:
    op.drop_table("crime_outcomes")
    op.drop_table("crimes")
    with op.batch_alter_table("asb_incidents") as batch:
        batch.drop_column("shown")
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("note")
        batch.drop_column("shown")
    with op.batch_alter_table("loads") as batch:
        for column in ("undone_by", "undone_at", "last_month", "first_month", "kind"):
            batch.drop_column(column)
