"""published summaries: each issued public summary and every figure it showed

`publicsummary.issue` records a summary when it is published (the page's "Publish this
summary", `manage.py public --publish`): who, when, period, data version, the HTML and CSV
bytes as issued, and each figure shown (NULL where withheld), so a later summary can say which
published figures were revised and a past one can be downloaded again exactly.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(120), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("period_first", sa.Date(), nullable=False),
        sa.Column("period_last", sa.Date(), nullable=False),
        sa.Column("data_version", sa.String(200), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("html", sa.LargeBinary(), nullable=False),
        sa.Column("csv", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "published_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(60), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("period_first", sa.Date(), nullable=False),
        sa.Column("period_last", sa.Date(), nullable=False),
        sa.Column("count", sa.Float(), nullable=True),
        sa.Column("withheld", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_published_figure_publication_id", "published_figure", ["publication_id"])
    op.create_index("ix_published_figure_period_first", "published_figure", ["period_first"])


def downgrade() -> None:
    op.drop_index("ix_published_figure_period_first", "published_figure")
    op.drop_index("ix_published_figure_publication_id", "published_figure")
    op.drop_table("published_figure")
    op.drop_table("publication")
