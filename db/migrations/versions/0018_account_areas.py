"""access by area: the division or districts an account is limited to

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "level", "code"),
    )
    op.create_index("ix_account_areas_account_id", "account_areas", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_account_areas_account_id", table_name="account_areas")
    op.drop_table("account_areas")
