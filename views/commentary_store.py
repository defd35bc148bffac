"""The reads and writes of the Commentary and Board pack pages: the exceptions awaiting
commentary (`governance.exceptions`), the areas inside an area, a commentary's versions and
saving a new one (`db.commentary`). The pages draw; the store is reached only from here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

import governance
from config import Catalogue
from db import commentary
from db.commentary import Text
from db.engine import read_scope, session_scope
from metrics.exceptions import Exceptions


def areas_within(catalogue: Catalogue, area: str) -> list[str]:
    """`area` and every area inside it (`governance.areas_within`)."""
    return governance.areas_within(catalogue, area)


def awaiting(engine: Engine, catalogue: Catalogue, *, as_of: date, area: str) -> Exceptions:
    """Measures awaiting commentary at `as_of` in `area` and the areas inside it."""
    with read_scope(engine) as session:
        return governance.exceptions(
            session=session,
            catalogue=catalogue,
            as_of=as_of,
            areas=areas_within(catalogue, area),
        )


def history(engine: Engine, *, code: str, area: str, month: date) -> pd.DataFrame:
    """Every version of the commentary on `code` in `area` for `month`, newest first."""
    with read_scope(engine) as session:
        return commentary.history(session=session, measure_code=code, area=area, month=month)


def blank() -> dict[str, Any]:
    """The fields of a commentary not yet written (the form's starting values)."""
    return vars(Text(what=""))


def cleaned(
    *, what: str, why: str, actions: str, owner: str, due: date | None, public: bool
) -> Text:
    """The commentary typed, cleaned as it will be stored (`db.commentary.cleaned`)."""
    return commentary.cleaned(
        Text(what=what, why=why, actions=actions, owner=owner, due=due, public=public)
    )


def write(
    engine: Engine, *, actor: str, code: str, area: str, month: date, text: Text
) -> int | None:
    """Save `text` as a new version (audited); its version number (None: unchanged)."""
    with session_scope(engine) as session:
        return commentary.write(
            session=session, actor=actor, measure_code=code, area=area, month=month, text=text
        )
