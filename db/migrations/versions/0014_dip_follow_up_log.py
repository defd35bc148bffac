"""dip-sampling follow-up log: each case needing follow-up gets an entry (owner, action, due
date, closed on/by, note), every change a new version

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dip_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("dip_cases.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(120), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("written_by", sa.String(120), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "version"),
    )
    op.create_index("ix_dip_follow_ups_case_id", "dip_follow_ups", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_dip_follow_ups_case_id", table_name="dip_follow_ups")
    op.drop_table("dip_follow_ups")
