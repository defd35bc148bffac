"""Setting the areas an account may see, in the app (issue 26; admins, who may manage
accounts): a form naming the account and its limit (one division, districts, or every area),
checked against the geography (`auth.areas.limit_asked`) and recorded with an audit entry
(`db.account_areas.set_limit`). The rules are in `config.areascope`: analyst and admin
accounts see every area whatever is recorded."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from auth.areas import limit_asked
from config import Catalogue
from config.areascope import FORCE_WIDE_ROLES
from db import accounts
from db.account_areas import limit_of, set_limit
from db.engine import read_scope, session_scope

EVERY, DIVISION, DISTRICTS = "Every area", "One division", "Districts"
INTRO = (
    "An account may be limited to one division (with its districts) or to districts: it then "
    "sees only their figures, on every page, download and pack, and never the force total. "
    "Analyst and admin accounts always see every area."
)


def current_limits(*, engine: Engine, names: list[str]) -> dict[str, str]:
    """Each account's areas, in words."""
    with read_scope(engine) as session:
        return {name: limit_of(session=session, name=name).text for name in names}


def show(*, engine: Engine, catalogue: Catalogue, actor: str, names: list[str]) -> None:
    """The form; records the change (audited) and says what was done or why not."""
    st.subheader("Areas each account may see")
    st.write(INTRO)
    if not names:
        return
    limits = current_limits(engine=engine, names=names)
    st.table(pd.DataFrame({"Areas": list(limits.values())}, index=pd.Index(limits, name="Account")))
    geo = catalogue.geography
    with st.form("account_areas"):
        name = st.selectbox("Account to limit", names, key="account_areas.name")
        kind = st.radio("May see", [EVERY, DIVISION, DISTRICTS], horizontal=True)
        division = st.selectbox("Division", [d.name for d in geo.division])
        districts = st.multiselect("Districts", [d.name for d in geo.district])
        save = st.form_submit_button("Save the account's areas")
    if save:
        _save(engine, actor, name, kind, division, districts)


def _save(engine, actor: str, name: str, kind: str, division: str, districts: list[str]):
    try:
        limit = limit_asked(
            division=division if kind == DIVISION else None,
            districts=districts if kind == DISTRICTS else None,
            every=kind == EVERY,
        )
    except ValueError as problem:
        st.error(f"Nothing was changed: {problem}.")
        return
    with session_scope(engine) as session:
        account = accounts.find(session=session, name=name)
        if account is None:
            st.error(f"There is no account called {name!r}; nothing was changed.")
            return
        set_limit(session=session, name=name, limit=limit, actor=actor)
    wide = account.role in {r.value for r in FORCE_WIDE_ROLES} and limit.level is not None
    note = f" (the {account.role} role sees every area whatever is recorded)" if wide else ""
    st.success(f"{name} may now see {limit.text}{note}.")
