"""stored scores and maintained aggregates of incidents

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

`scores` starts empty: `scoring.refresh` (run by every command that changes data, and by the
dashboard when it finds the store's version newer than the scores') fills it. The incident
aggregates are counted here from the incidents already stored; from now on every load writes
its own and every undo removes them (`db.aggregates`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scores",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("measure_code", sa.String(60), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("input_key", sa.String(64), nullable=False),
        sa.Column("has_data", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", "measure_code", "level", "area"),
    )
    op.create_table(
        "score_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.Column("computed", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


    op.create_table(
        "incident_cells",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("load_id", sa.Integer(), sa.ForeignKey("loads.id"), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("district_code", sa.String(9), nullable=True),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_cells_month", "incident_cells", ["month", "load_id"])
    op.create_index("ix_incident_cells_load", "incident_cells", ["load_id"])
    op.create_table(
        "incident_months",
        sa.Column("load_id", sa.Integer(), sa.ForeignKey("loads.id"), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("load_id", "month"),
    )
    op.create_index("ix_incident_months_load", "incident_months", ["load_id"])
    op.execute(
        "INSERT INTO incident_cells (load_id, month, district_code, hour, weekday, count) "
        "SELECT load_id, month, district_code, hour, weekday, COUNT(*) FROM asb_incidents "
        "WHERE hour IS NOT NULL GROUP BY load_id, month, district_code, hour, weekday"
    )
    op.execute(
        "INSERT INTO incident_months (load_id, month, rows) "
        "SELECT load_id, month, COUNT(*) FROM asb_incidents GROUP BY load_id, month"
    )


def downgrade() -> None:
    op.drop_table("incident_months")
    op.drop_table("incident_cells")
    op.drop_table("score_state")
    op.drop_table("scores")
