"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "divisions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "loads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "measures",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("good_direction", sa.String(length=10), nullable=False),
        sa.Column("aggregation", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "operations",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("specific", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "districts",
        sa.Column("ons_code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("division", sa.String(length=40), nullable=False),
        sa.Column("hotspot", sa.String(length=60), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("population_source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["division"],
            ["divisions.name"],
        ),
        sa.PrimaryKeyConstraint("ons_code"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "measure_operations",
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("operation_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_code"],
            ["measures.code"],
        ),
        sa.ForeignKeyConstraint(
            ["operation_code"],
            ["operations.code"],
        ),
        sa.PrimaryKeyConstraint("measure_code", "operation_code"),
    )
    op.create_table(
        "observations",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("area_code", sa.String(length=60), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("breakdown", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["loads.id"],
        ),
        sa.ForeignKeyConstraint(
            ["measure_code"],
            ["measures.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "measure_code", "level", "area_code", "month", "breakdown", "load_id"
        ),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index("ix_observations_load", ["load_id"], unique=False)
        batch_op.create_index(
            "ix_observations_measure_month", ["measure_code", "month"], unique=False
        )

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("measure_code", sa.String(length=60), nullable=False),
        sa.Column("area", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=120), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure_code"],
            ["measures.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "asb_incidents",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=True),
        sa.Column("weekday", sa.SmallInteger(), nullable=True),
        sa.Column("district_code", sa.String(length=9), nullable=True),
        sa.Column("lsoa_code", sa.String(length=9), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("vehicle_involved", sa.Boolean(), nullable=False),
        sa.Column("repeat_victim", sa.Boolean(), nullable=False),
        sa.Column("vulnerable_victim", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.ons_code"],
        ),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["loads.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("asb_incidents", schema=None) as batch_op:
        batch_op.create_index("ix_asb_incidents_load", ["load_id"], unique=False)
        batch_op.create_index(
            "ix_asb_incidents_month_district", ["month", "district_code"], unique=False
        )

    


def downgrade() -> None:
    
    with op.batch_alter_table("asb_incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_asb_incidents_month_district")
        batch_op.drop_index("ix_asb_incidents_load")

    op.drop_table("asb_incidents")
    op.drop_table("targets")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_measure_month")
        batch_op.drop_index("ix_observations_load")

    op.drop_table("observations")
    op.drop_table("measure_operations")
    op.drop_table("districts")
    op.drop_table("operations")
    op.drop_table("measures")
    op.drop_table("loads")
    op.drop_table("divisions")
    op.drop_table("audit_log")
    
