"""command-line identity: personal access tokens, and the operating-system user and host of
the command line's audit entries

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(120), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_access_tokens_account_id", "access_tokens", ["account_id"])
    op.add_column("audit_log", sa.Column("os_user", sa.String(120), nullable=True))
    op.add_column("audit_log", sa.Column("host", sa.String(255), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_log", "host")
    op.drop_column("audit_log", "os_user")
    op.drop_index("ix_access_tokens_account_id", table_name="access_tokens")
    op.drop_table("access_tokens")
