"""the board's actions log: actions and matters arising, carried from meeting to meeting

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("measure_code", sa.String(60), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("raised_at", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("closed_at", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_actions_area", "board_actions", ["area"])


def downgrade() -> None:
    op.drop_index("ix_board_actions_area", table_name="board_actions")
    op.drop_table("board_actions")
