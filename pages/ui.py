"""Drawing helpers and cached data access shared by the pages."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from config import get_catalogue, get_settings
from db.engine import make_engine
from db.queries import StoreSummary
from db.store import summary

DEMO_NOTICE = (
    "**Demonstration data.** The figures on this page are synthetic: they reproduce the ASB "
    "Action Plan's published totals for October 2024 - September 2025 but are otherwise invented "
    "for demonstration. They are not real Lancashire Constabulary data."
)


@st.cache_resource
def engine(url: str) -> Engine:
    """One engine (and connection pool) per store for the whole app."""
    return make_engine(url)


@st.cache_data(ttl=60, show_spinner=False)
def _store_summary(url: str) -> StoreSummary:
    return summary(engine=engine(url))


def store_summary() -> StoreSummary:
    return _store_summary(get_settings().DATABASE_URL)


def data_status(info: StoreSummary) -> None:
    """The freshness line and, where demo data are shown, the demonstration label."""
    if info.has_demo:
        st.warning(DEMO_NOTICE, icon=":material/science:")
    if info.is_empty:
        st.info("The store is empty: load data with `python manage.py`.")
        return
    latest = info.latest_month.strftime("%B %Y") if info.latest_month else "none"
    loaded = info.last_loaded_at.strftime("%d %B %Y %H:%M") if info.last_loaded_at else "never"
    kind = "demonstration" if info.has_demo and not info.has_real else "real"
    st.caption(f"Latest month of data: **{latest}** · last loaded {loaded} · {kind} data")


def catalogue():
    return get_catalogue()


def table_height(rows: int) -> int:
    """Pixels for a st.dataframe that shows every row without an inner scroll bar."""
    return 38 + 35 * rows
