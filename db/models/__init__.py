"""SQLAlchemy 2.0 models of the store, one package. The schema itself is created by alembic
migrations (`db/migrations/`), never by `create_all`; `tests/test_db.py` checks the two agree.

- `db.models.base` holds `Base` (and so `Base.metadata`) and imports no model.
- Each model module imports only the base: `core` (reference tables, loads and the data they
  brought, revisions, audit, scores), then one module per area (`account`, `action`, `area`,
  `comment`, `dip`, `followup`, `published`, `session`, `token`).
- This module imports every model module, so importing `db.models` (as alembic's env and the
  backup do) registers every table on the metadata; the core tables are named here too.
"""

from db.models import (  # noqa: F401 (every model module registers its tables on Base)
    account,
    action,
    area,
    comment,
    dip,
    followup,
    published,
    session,
    token,
)
from db.models.base import Base
from db.models.core import (
    TOTAL,
    UNALLOCATED,
    AsbIncident,
    AuditEntry,
    Crime,
    CrimeOutcome,
    District,
    Division,
    IncidentHours,
    IncidentMonth,
    Load,
    LoadFact,
    Measure,
    MeasureOperation,
    Observation,
    Operation,
    Revision,
    RevisionChange,
    ScoreState,
    StoredScore,
    Target,
    TrackRecord,
)

__all__ = [
    "TOTAL",
    "UNALLOCATED",
    "AsbIncident",
    "AuditEntry",
    "Base",
    "Crime",
    "CrimeOutcome",
    "District",
    "Division",
    "IncidentHours",
    "IncidentMonth",
    "Load",
    "LoadFact",
    "Measure",
    "MeasureOperation",
    "Observation",
    "Operation",
    "Revision",
    "RevisionChange",
    "ScoreState",
    "StoredScore",
    "Target",
    "TrackRecord",
]
