"""Cached reads for the pages: the engine, the store summary and every query or calculation a
page draws, cached with `st.cache_data` and keyed by the store's URL and data version (so a new
load is seen at once) and by every argument that changes the result."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from config import get_catalogue, get_settings
from db import history, quality
from db.engine import make_engine, session_scope
from db.queries import (
    StoreSummary,
    breakdown_totals,
    data_version,
    hour_weekday_counts,
    monthly_values,
)
from db.queries import (
    store_summary as query_store_summary,
)
from metrics import quality as metrics_quality
from metrics import views


def catalogue():
    return get_catalogue()


@st.cache_resource
def engine(url: str) -> Engine:
    """One engine (and connection pool) per store for the whole app."""
    return make_engine(url)


@st.cache_data(show_spinner=False)
def boundaries(path: str) -> dict | None:
    """The district boundary GeoJSON named by BOUNDARY_FILE (None when it is not set)."""
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else None


def url() -> str:
    return get_settings().DATABASE_URL


def store_summary() -> StoreSummary:
    """Not cached: a few aggregate queries, and it must show a new load at once."""
    with session_scope(engine(url())) as session:
        return query_store_summary(session=session)


def current_version(url: str) -> str:
    with session_scope(engine(url)) as session:
        return data_version(session=session)


# --- cached reads: every argument that changes the result is part of the key ----------------


@st.cache_data(show_spinner=False, max_entries=64)
def values(
    url: str,
    version: str,
    level: str,
    areas: tuple[str, ...] | None = None,
    measures: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    with session_scope(engine(url)) as session:
        return monthly_values(
            session=session,
            level=level,
            areas=list(areas) if areas else None,
            measures=list(measures) if measures else None,
        )


@st.cache_data(show_spinner="Judging every measure...", max_entries=64)
def overview(url: str, version: str, area: str, level: str, as_of: date) -> pd.DataFrame:
    return views.overview(
        values(url, version, level, (area,)),
        values(url, version, "force"),
        catalogue(),
        area,
        as_of,
    )


@st.cache_data(show_spinner=False, max_entries=256)
def league(url: str, version: str, level: str, measure: str, as_of: date) -> pd.DataFrame:
    return views.league(
        values(url, version, level, None, (measure,)),
        values(url, version, "force"),
        catalogue(),
        catalogue().measure(measure),
        as_of,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def detail(url: str, version: str, area: str, level: str, measure: str, as_of: date) -> dict:
    return views.measure_detail(
        values(url, version, level, (area,)),
        values(url, version, "force"),
        catalogue(),
        catalogue().measure(measure),
        area,
        as_of,
    )


@st.cache_data(show_spinner=False, max_entries=128)
def breakdown(
    url: str, version: str, measure: str, level: str, area: str, start: date, end: date
) -> pd.DataFrame:
    with session_scope(engine(url)) as session:
        return breakdown_totals(
            session=session, measure=measure, level=level, area=area, start=start, end=end
        )


@st.cache_data(show_spinner=False, max_entries=64)
def hour_weekday(url: str, version: str, level: str, start: date, end: date) -> pd.DataFrame:
    with session_scope(engine(url)) as session:
        return hour_weekday_counts(session=session, level=level, start=start, end=end)


# --- the Data page: loads, what a file would change, completeness, sources -------------------


@st.cache_data(show_spinner=False, max_entries=16)
def load_history(url: str, version: str) -> pd.DataFrame:
    """Every load, undone ones included, newest first."""
    with session_scope(engine(url)) as session:
        return history.load_history(session=session)


@st.cache_data(show_spinner=False, max_entries=32)
def completeness(url: str, version: str, start: date, end: date) -> pd.DataFrame:
    """Which districts have a shown figure for each measure and month (columns measure,
    month, area_code)."""
    with session_scope(engine(url)) as session:
        return history.completeness(session=session, start=start, end=end)


@st.cache_data(show_spinner=False, max_entries=32)
def by_source(url: str, version: str, measure: str, start: date, end: date) -> pd.DataFrame:
    """One measure's force-wide monthly figure from each source (columns month, source,
    value, shown)."""
    with session_scope(engine(url)) as session:
        return history.by_source(
            session=session,
            measure=measure,
            aggregation=catalogue().measure(measure).aggregation,
            start=start,
            end=end,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def policeuk_quality(url: str, version: str) -> pd.DataFrame:
    """Data-quality facts per police.uk month (metrics.quality.by_month)."""
    with session_scope(engine(url)) as session:
        facts = quality.quality_facts(session=session)
        street = quality.street_months(session=session)
    return metrics_quality.by_month(facts, street)


@st.cache_data(show_spinner=False, max_entries=16)
def policeuk_missing_months(url: str, version: str) -> list[date]:
    """Months with no police.uk street file between the first and the last loaded."""
    with session_scope(engine(url)) as session:
        return metrics_quality.missing_months(quality.street_months(session=session))


@st.cache_data(show_spinner=False, max_entries=16)
def revision_history(url: str, version: str) -> pd.DataFrame:
    with session_scope(engine(url)) as session:
        return quality.revision_history(session=session)


@st.cache_data(show_spinner=False, max_entries=32)
def revision_changes(url: str, version: str, load_id: int) -> pd.DataFrame:
    with session_scope(engine(url)) as session:
        return quality.revision_changes(session=session, load_id=load_id)
