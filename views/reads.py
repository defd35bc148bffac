"""Cached reads for the pages: the engine, the store summary and every query or calculation a
page draws, cached with `st.cache_data` and keyed by the store's URL and data version (so a new
load is seen at once) and by every argument that changes the result.

Access by area (issue 26): every read of area-level rows is given the scope of this run's
identity (`current_scope`, set by the page's gate) and filters in SQL; the scope is part of
the cache key, so a limited account never gets a result cached for a wider one."""

from __future__ import annotations

import functools
import json
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

import scoring
from auth import areas as area_access
from config import get_catalogue, get_settings
from config.areascope import EVERY_AREA, AreaScope
from config.vocabulary import Level
from db import history, quality
from db.engine import make_engine, read_scope
from db.queries import (
    StoreSummary,
    breakdown_totals,
    hour_weekday_counts,
    monthly_values,
)
from db.queries import (
    months_with_data as query_months_with_data,
)
from db.queries import (
    store_summary as query_store_summary,
)
from metrics import periods, tables
from metrics import quality as metrics_quality
from present import wording

IDENTITY = "auth.current"  # session state: this run's Identity (`views.auth.CURRENT`)


def catalogue():
    return get_catalogue()


def current_scope() -> AreaScope:
    """The areas this run's identity may see (every area before a page's gate has run: no
    page reads figures before it)."""
    try:
        who = st.session_state.get(IDENTITY)
    except Exception:  # outside a Streamlit run (a test calling a read directly)
        who = None
    return EVERY_AREA if who is None else area_access.scope(who)


def _scoped(**options):
    """`st.cache_data` for a read whose last keyword is `scope`: callers leave it out and get
    the current identity's (`current_scope`), which is part of the cache key."""

    def wrap(func):
        cached = st.cache_data(show_spinner=False, **options)(func)

        @functools.wraps(func)
        def read(*args, scope: AreaScope | None = None, **kwargs):
            return cached(*args, scope=scope or current_scope(), **kwargs)

        read.clear = cached.clear
        return read

    return wrap


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
    with read_scope(engine(url())) as session:
        return query_store_summary(session=session)


def current_version(url: str) -> str:
    """The data and configuration version every cached read is keyed by."""
    with read_scope(engine(url)) as session:
        return scoring.store_version(session=session, catalogue=catalogue())


@st.cache_resource
def _scoring_lock() -> threading.Lock:
    """One refresh of the stored scores at a time in this server: a second visitor waits for
    the first's, then finds the scores current."""
    return threading.Lock()


def ensure_scores(url: str, as_of: date) -> None:
    """Make sure the stored scores are those of the store as it is now, for `as_of` and the
    month before. They are computed when data change (`manage.py` and the Data page do it);
    a page computes them only when another tool changed the store, or for a month nobody has
    asked for before, with a progress bar, once for everyone."""
    months = [as_of, periods.shift_month(as_of, -1)]
    store = engine(url)
    if scoring.is_current(engine=store, catalogue=catalogue(), months=months):
        return
    with _scoring_lock():
        if scoring.is_current(engine=store, catalogue=catalogue(), months=months):
            return
        bar = st.progress(0.0, text=wording.SCORING)
        scoring.refresh(
            engine=store,
            catalogue=catalogue(),
            months=months,
            progress=lambda done, total: bar.progress(
                done / total if total else 1.0, text=wording.scoring_progress(done, total)
            ),
        )
        bar.empty()


# --- cached reads: every argument that changes the result is part of the key ----------------


@_scoped(max_entries=64)
def values(
    url: str,
    version: str,
    level: str,
    areas: tuple[str, ...] | None = None,
    measures: tuple[str, ...] | None = None,
    *,
    scope: AreaScope,
) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return monthly_values(
            session=session,
            level=level,
            areas=list(areas) if areas else None,
            measures=list(measures) if measures else None,
            scope=scope,
        )


def _scores(url: str, as_of: date, scope: AreaScope, **which) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return scoring.read(session=session, as_of=as_of, scope=scope, **which)


@_scoped(max_entries=64)
def overview(url: str, version: str, area: str, as_of: date, *, scope: AreaScope) -> pd.DataFrame:
    """The Overview's rows for `area` from the stored scores (`metrics.tables.overview`)."""
    now = _scores(url, as_of, scope, area=area)
    before = _scores(url, periods.shift_month(as_of, -1), scope, area=area)
    return tables.overview(
        dict(zip(now["measure"], now["score"], strict=True)),
        dict(zip(before["measure"], before["score"], strict=True)),
        catalogue(),
    )


@_scoped(max_entries=256)
def league(
    url: str, version: str, level: str, measure: str, as_of: date, *, scope: AreaScope
) -> pd.DataFrame:
    """The areas of `level` with figures of `measure`, from the stored scores."""
    found = _scores(url, as_of, scope, level=level, measure=measure)
    found = found[found["has_data"].astype(bool)]  # a limited scope may leave none
    return tables.league(
        dict(zip(found["area"], found["score"], strict=True)),
        catalogue(),
        catalogue().measure(measure),
    )


@_scoped(max_entries=16)
def candidates(url: str, version: str, as_of: date, *, scope: AreaScope) -> pd.DataFrame:
    """Every measure and area's candidate recalculation points at `as_of`, from the stored
    scores (columns measure, area, month, kind, seen), in catalogue order of measures."""
    found = _scores(url, as_of, scope)
    rows = [
        {"measure": code, "area": area, "month": when, "kind": kind, "seen": seen}
        for code, area, score in zip(found["measure"], found["area"], found["score"], strict=True)
        for when, kind, seen in score.spc.candidates
    ]
    frame = pd.DataFrame(rows, columns=["measure", "area", "month", "kind", "seen"])
    order = {m.code: i for i, m in enumerate(catalogue().measures.measure)}
    areas = {a: i for i, a in enumerate(catalogue().area_names())}
    keys = frame["measure"].map(order) * 1000 + frame["area"].map(areas)
    return frame.assign(_order=keys).sort_values(["_order", "month"]).drop(columns="_order")


@_scoped(max_entries=128)
def detail(url: str, version: str, area: str, level: str, measure: str, as_of: date, *, scope):
    """Everything an operation page shows for one measure in one area (`tables.Detail`). The
    months loaded are the force's, or for a limited scope the area's own."""
    found = _scores(url, as_of, scope, area=area, measure=measure)
    loaded = (Level.FORCE, None) if scope.is_wide else (level, (area,))
    return tables.measure_detail(
        values(url, version, level, (area,), (measure,), scope=scope),
        found["score"].iloc[0],
        catalogue(),
        catalogue().measure(measure),
        area,
        loaded=values(url, version, *loaded, (measure,), scope=scope)["month"],
    )


@_scoped(max_entries=128)
def breakdown(
    url: str,
    version: str,
    measure: str,
    level: str,
    area: str,
    start: date,
    end: date,
    *,
    scope: AreaScope,
) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return breakdown_totals(
            session=session,
            measure=measure,
            level=level,
            area=area,
            start=start,
            end=end,
            scope=scope,
        )


@_scoped(max_entries=64)
def hour_weekday(
    url: str, version: str, level: str, start: date, end: date, *, scope: AreaScope
) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return hour_weekday_counts(session=session, level=level, start=start, end=end, scope=scope)


# --- the Data page: loads, what a file would change, completeness, sources -------------------


@_scoped(max_entries=8)
def track_record(url: str, version: str, *, scope: AreaScope) -> pd.DataFrame:
    """The forecast's stored track record (computed once per data version, never here)."""
    from db.trackrecord import track_record as stored_track_record

    with read_scope(engine(url)) as session:
        return stored_track_record(session=session, scope=scope)


@st.cache_data(show_spinner=False, max_entries=16)
def load_history(url: str, version: str) -> pd.DataFrame:
    """Every load, undone ones included, newest first."""
    with read_scope(engine(url)) as session:
        return history.load_history(session=session)


@_scoped(max_entries=32)
def completeness(
    url: str, version: str, start: date, end: date, *, scope: AreaScope
) -> pd.DataFrame:
    """Which districts have a shown figure for each measure and month (columns measure,
    month, area_code)."""
    with read_scope(engine(url)) as session:
        return history.completeness(session=session, start=start, end=end, scope=scope)


@_scoped(max_entries=32)
def by_source(
    url: str, version: str, measure: str, start: date, end: date, *, scope: AreaScope
) -> pd.DataFrame:
    """One measure's force-wide monthly figure from each source (columns month, source,
    value, shown)."""
    with read_scope(engine(url)) as session:
        return history.by_source(
            session=session,
            measure=measure,
            aggregation=catalogue().measure(measure).aggregation,
            start=start,
            end=end,
            scope=scope,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def policeuk_quality(url: str, version: str) -> pd.DataFrame:
    """Data-quality facts per police.uk month (metrics.quality.by_month)."""
    with read_scope(engine(url)) as session:
        facts = quality.quality_facts(session=session)
        street = quality.street_months(session=session)
    return metrics_quality.by_month(facts, street)


@st.cache_data(show_spinner=False, max_entries=16)
def months_with_data(url: str, version: str) -> list[date]:
    """Every month with a figure in the store, oldest first (the month filter's choices)."""
    with read_scope(engine(url)) as session:
        return query_months_with_data(session=session)


@st.cache_data(show_spinner=False, max_entries=16)
def policeuk_missing_months(url: str, version: str) -> list[date]:
    """Months with no police.uk street file between the first and the last loaded."""
    with read_scope(engine(url)) as session:
        return metrics_quality.missing_months(quality.street_months(session=session))


@st.cache_data(show_spinner=False, max_entries=16)
def revision_history(url: str, version: str) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return quality.revision_history(session=session)


@st.cache_data(show_spinner=False, max_entries=32)
def revision_changes(url: str, version: str, load_id: int) -> pd.DataFrame:
    with read_scope(engine(url)) as session:
        return quality.revision_changes(session=session, load_id=load_id)
