"""the forecast's track record: one row per measure, computed once per data version

`scoring.trackrecord` backtests the forecast on the store's force and division figures when
the data change (as stored scores are refreshed) and keeps, per measure, the Brier score of
the chance against climatology's, the reliability table and interval coverage by horizon band.
Pages and the board pack only read it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_record",
        sa.Column("measure_code", sa.String(60), primary_key=True),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("forecasts", sa.Integer(), nullable=False),
        sa.Column("stated", sa.Integer(), nullable=False),
        sa.Column("brier", sa.Float(), nullable=True),
        sa.Column("climatology", sa.Float(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("track_record")
