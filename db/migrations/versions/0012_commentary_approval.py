"""commentary approval: a second person approves or refuses public commentary

Commentary marked public waits for a second account (scrutiny or admin, not its writer) to
approve it before the public summary shows it, or to refuse it with a reason; one decision
per version, with who, when and the findings of the check on its words they confirmed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commentary_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_code", sa.String(60), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("checked", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("measure_code", "area", "month", "version"),
    )


def downgrade() -> None:
    op.drop_table("commentary_decision")
