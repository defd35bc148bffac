"""incident rows without foreign keys to their load and district

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Only the loader writes incident rows, for the load it has just made and with the catalogue's
district codes; PostgreSQL checked both keys for every row, three fifths of the time of a load
of a million incidents (bench/run.py). `manage.py check` lists any row of an unknown load or
district instead. SQLite copies the table to drop the keys (batch mode), once.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# SQLite's keys are unnamed: batch mode names them by this convention (as in 0003)
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
KEYS = (("district_code", "districts", "ons_code"), ("load_id", "loads", "id"))


def _name(column: str, table: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"asb_incidents_{column}_fkey"
    return f"fk_asb_incidents_{column}_{table}"


def upgrade() -> None:
    with op.batch_alter_table("asb_incidents", naming_convention=NAMING) as batch:
        for column, table, _ in KEYS:
            batch.drop_constraint(_name(column, table), type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("asb_incidents", naming_convention=NAMING) as batch:
        for column, table, key in KEYS:
            batch.create_foreign_key(_name(column, table), table, [column], [key])
