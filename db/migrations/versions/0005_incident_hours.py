"""hour x weekday counts in one row per load, month and district; one index on incidents

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

`incident_cells` kept a row per load, month, district, hour and weekday: as many rows as
incidents in a sparse store, written by every load. `incident_hours` keeps the 168 counts of a
load, month and district in one row (`db.aggregates.encode`), counted here from the cells.
The incidents' two indexes (month and district; load) become one on (load, month), which
serves undo and the choice of the rows shown, and costs a load one index instead of two.
"""

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

HOURS, WEEKDAYS = 24, 7


def upgrade() -> None:
    hours = op.create_table(
        "incident_hours",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("load_id", sa.Integer(), sa.ForeignKey("loads.id"), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("district_code", sa.String(9), nullable=True),
        sa.Column("counts", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_hours_month", "incident_hours", ["month", "load_id"])
    op.create_index("ix_incident_hours_load", "incident_hours", ["load_id"])
    cells = sa.table(
        "incident_cells",
        *(sa.column(c) for c in ("load_id", "district_code", "hour", "weekday", "count")),
        sa.column("month", sa.Date()),
    )
    grids: dict[tuple, np.ndarray] = {}
    for load_id, month, district, hour, weekday, count in op.get_bind().execute(
        sa.select(cells.c.load_id, cells.c.month, cells.c.district_code, cells.c.hour,
                  cells.c.weekday, cells.c["count"])  # fmt: skip
    ):
        grid = grids.setdefault((load_id, month, district), np.zeros((HOURS, WEEKDAYS), "<u4"))
        grid[hour, weekday] += count
    if grids:
        op.bulk_insert(
            hours,
            [
                {"load_id": k[0], "month": k[1], "district_code": k[2], "counts": g.tobytes()}
                for k, g in grids.items()
            ],
        )
    op.drop_table("incident_cells")
    op.drop_index("ix_asb_incidents_month_district", table_name="asb_incidents")
    op.drop_index("ix_asb_incidents_load", table_name="asb_incidents")
    op.create_index("ix_asb_incidents_load_month", "asb_incidents", ["load_id", "month"])


def downgrade() -> None:
    op.drop_index("ix_asb_incidents_load_month", table_name="asb_incidents")
    op.create_index("ix_asb_incidents_load", "asb_incidents", ["load_id"])
    op.create_index("ix_asb_incidents_month_district", "asb_incidents", ["month", "district_code"])
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
    op.execute(
        "INSERT INTO incident_cells (load_id, month, district_code, hour, weekday, count) "
        "SELECT load_id, month, district_code, hour, weekday, COUNT(*) FROM asb_incidents "
        "WHERE hour IS NOT NULL GROUP BY load_id, month, district_code, hour, weekday"
    )
    op.drop_table("incident_hours")
