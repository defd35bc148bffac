"""Shared page furniture: navigation, the area and month filters (kept in the URL), the data
status line, tables and formatting. Cached data access lives in `views.reads`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, overload

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from auth import Identity
from config import FORCE_AREA, parse_month
from config.access import page_needs
from config.force import POLICE_FORCE
from config.vocabulary import Level
from db.queries import StoreSummary
from present.exports import table_csv
from present.window_wording import month_refused
from present.wording import NO_FIGURE, code_span
from views import audit_trail, reads
from views import auth as auth_view
from views.navigation import (  # noqa: F401 (pages and tests use them from ui)
    AREA,
    MEASURE,
    NAVIGATION,
    PERIOD,
    carried_params,
    current_url_path,
    land_public,
    page_links,
)
from views.start import within_app

DEMO_NOTICE = (
    "**Demonstration data.** The figures on this page are synthetic: they reproduce the ASB "
    "Action Plan's published totals for its evidence year but are otherwise invented "
    f"for demonstration. They are not real {POLICE_FORCE} data."
)


@dataclass(frozen=True)
class Filters:
    area: str
    level: str
    as_of: date
    version: str
    url: str


# --- filters, navigation and status ----------------------------------------------------------


def _area_label(name: str) -> str:
    cat = reads.catalogue()
    level = cat.area_level(name)
    if level == Level.FORCE:
        return f"{name} (force)"
    if level == Level.DIVISION:
        return f"{name} division"
    return f"{name} ({cat.geography.district_by_name(name).division})"


def _set_param(param: str, value: str, default: str) -> None:
    """Write a filter into the URL (left out when it is the default, for short links)."""
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def url_notice(given: str, noun: str, reason: str, used: str) -> str:
    """What a page says when its link asked for a value it cannot show."""
    return f"The link asked for {noun} {code_span(given)}, which {reason}; showing {used} instead."


def url_select(
    label: str,
    options: list[str],
    *,
    param: str,
    default: str,
    key: str,
    noun: str | None = None,
    reason: str | None = None,
    name_of: Callable[[str], str] | None = None,
    notices: DeltaGenerator | None = None,
    **widget,
) -> str:
    """A selectbox whose value lives in the URL query parameter `param`.

    The URL is the source of truth. The widget's key includes the value the URL asks for, so
    a pasted link or the browser's back button (which reruns with the old URL but may keep the
    browser's own widget state) always gets a fresh widget showing the URL's value; choosing
    an option writes the URL in `on_change`, before the rerun reads it back.

    A value that is not an option is not silently replaced: a warning (in `notices`, default
    where the widget is drawn) names it as typed, says why (`reason`, default "is not a/an
    `noun` of this dashboard"; `noun` defaults to the label in lower case) and what is shown
    instead (named by `name_of`, default the widget's `format_func`); the value is then taken
    out of the URL, so the page links do not carry it and the warning shows once."""
    given = st.query_params.get(param)
    wanted = given if given in options else default
    if given and given not in options:
        noun = noun or label.lower()
        article = "an" if noun[:1] in "aeiou" else "a"
        used = (name_of or widget.get("format_func") or str)(default)
        (notices or st).warning(
            url_notice(given, noun, reason or f"is not {article} {noun} of this dashboard", used),
            icon=":material/link_off:",
        )
        del st.query_params[param]
    elif given is not None and not given:  # "?area=": nothing asked for
        del st.query_params[param]
    return st.selectbox(
        label,
        options,
        index=options.index(wanted),
        key=f"{key}:{wanted}",
        on_change=_chosen,
        args=(f"{key}:{wanted}", param, default),
        **widget,
    )


def _chosen(key: str, param: str, default: str) -> None:
    _set_param(param, st.session_state[key], default)


def sidebar(info: StoreSummary, who: Identity) -> Filters:
    """Navigation links, the area and month filters; returns the filters every page honours."""
    cat = reads.catalogue()
    url = reads.url()
    loaded = reads.months_with_data(url, reads.current_version(url))
    calendar = [m.date() for m in pd.date_range(info.first_month, info.latest_month, freq="MS")]
    months = [m.strftime("%Y-%m") for m in (loaded or calendar)][::-1]  # months with data only
    gaps = sorted(set(calendar) - set(loaded)) if loaded else []
    notices = st.container()  # in the main area: a link's unknown area or month is named here
    with st.sidebar:
        st.markdown("**ASB Action Plan dashboard**")
        areas = reads.current_scope().keep(cat.area_names())  # access by area (issue 26)
        area = url_select(
            "Area",
            areas,
            param=AREA,
            default=FORCE_AREA if FORCE_AREA in areas else areas[0],
            key="filter_area",
            name_of=str,
            notices=notices,
            format_func=_area_label,
            help="Force, division or district: every page shows this area.",
        )
        period = url_select(
            "Month",
            months,
            param=PERIOD,
            default=months[0],
            key="filter_period",
            reason=month_refused(
                _month_or_none(st.query_params.get(PERIOD)),
                info.first_month,
                info.latest_month,
                gaps,
            ),
            notices=notices,
            format_func=lambda m: parse_month(m).strftime("%B %Y"),
            help="The latest month of the 12 months each figure covers.",
        )
        page_links(who)
    return Filters(area, cat.area_level(area), parse_month(period), reads.current_version(url), url)


def _month_or_none(text: str | None) -> date | None:
    """The month a link's `period` names, or None when it names none."""
    try:
        return parse_month(text) if text else None
    except ValueError:
        return None


def data_status(info: StoreSummary) -> None:
    """The freshness line and, where demo data are shown, the demonstration label."""
    if info.has_demo:
        st.warning(DEMO_NOTICE, icon=":material/science:")
    if info.is_empty or info.latest_month is None:
        st.info(
            "The store holds no figures yet: load a file on the Data store page, or with "
            "`python manage.py load` (see the README)."
        )
        return
    latest = info.latest_month.strftime("%B %Y") if info.latest_month else "none"
    loaded = info.last_loaded_at.strftime("%d %B %Y %H:%M") if info.last_loaded_at else "never"
    kind = "demonstration" if info.has_demo and not info.has_real else "real"
    st.caption(f"Latest month of data: **{latest}** · last loaded {loaded} · {kind} data")


# Streamlit draws captions grey at 60% opacity (under 4:1 on white); WCAG AA needs 4.5:1.
ACCESSIBLE_CSS = (
    "<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * "
    "{color: #4D4D4D !important; opacity: 1 !important;}</style>"
)


@overload
def page_header(
    title: str, *, empty_ok: Literal[False] = False
) -> tuple[StoreSummary, Filters]: ...
@overload
def page_header(title: str, *, empty_ok: bool) -> tuple[StoreSummary, Filters | None]: ...
def page_header(title: str, *, empty_ok: bool = False) -> tuple[StoreSummary, Filters | None]:
    """Title, sign-in, filters and data status: the top of every page. Stops the page of
    someone not signed in (drawing the sign-in form) or whose role may not do what the page
    needs (`config.access.page_needs`), and an empty store's page unless `empty_ok`. A page
    file Streamlit ran by itself runs inside the app instead (`views.start.within_app`)."""
    within_app()
    needs = page_needs(current_url_path())
    st.html(ACCESSIBLE_CSS)
    st.title(title)
    info = reads.store_summary()
    who = auth_view.gate(info)
    audit_trail.here(title)
    if not who.can(needs):
        land_public(who)  # a public account's landing is the Public summary, not a refusal
        with st.sidebar:
            page_links(who)
        st.error(audit_trail.refusal(who, needs, whole_page=True), icon=":material/block:")
        st.stop()
    if info.is_empty or info.latest_month is None:
        with st.sidebar:
            st.markdown("**ASB Action Plan dashboard**")
            page_links(who)
        data_status(info)
        if not empty_ok:
            st.stop()
        return info, None
    data_status(info)
    filters = sidebar(info, who)  # after the status, so a link's notice sits below the demo label
    reads.ensure_scores(filters.url, filters.as_of)
    filters = replace(filters, version=reads.current_version(filters.url))
    audit_trail.here(title, filters.area)
    return info, filters


def table(
    frame: pd.DataFrame, name: str, *, download: pd.DataFrame | None = None, **options
) -> None:
    """A table with every row visible and a CSV download (`present.exports.table_csv`): of
    `download` when given (the same rows as raw numbers in plain columns), otherwise of the
    shown `frame` less any column of lists (sparklines). `options` go to st.dataframe."""
    options.setdefault("height", table_height(len(frame)))
    options.setdefault("placeholder", NO_FIGURE)
    st.dataframe(frame, hide_index=True, width="stretch", **options)
    download_button(frame, name, download=download)


def static_table(frame: pd.DataFrame, name: str, *, download: pd.DataFrame | None = None) -> None:
    """A static table (st.table: long text wraps, a named index is the first column) with the
    same CSV download as `table` (the shown frame includes its named index)."""
    st.table(frame)
    shown = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    download_button(shown, name, download=download)


def download_button(
    frame: pd.DataFrame, name: str, *, download: pd.DataFrame | None = None
) -> None:
    """The "Download NAME (CSV)" button under a table: `download` when given, otherwise
    `frame` less its columns of lists (see `present.exports.table_csv`); its click is audited
    (`views.audit_trail`)."""
    audit_trail.download_button(
        f"Download {name} (CSV)",
        table_csv(frame, download),
        file_name=f"{name.lower().replace(' ', '_')}.csv",
        mime="text/csv",
        key=f"download_{name}",
    )


def table_height(rows: int) -> int:
    """Pixels for a st.dataframe that shows every row without an inner scroll bar."""
    return 38 + 35 * max(rows, 1)
