"""The page matrix: every page at every area level, and the Districts page on every measure, on
the demonstration data and on a store of real police.uk months only. Each run must raise
nothing, carry its navigation title and show no "nan", "None", "NaN", "inf" or "NaT" anywhere
a reader would see it (text, metrics, expander labels, table cells and column names).

The cases are generated from the catalogue (`config/`) and `views.ui.NAVIGATION`, so a new
page, area or measure is covered without editing this file. The two stores are one
module-scoped parametrised fixture, so pytest runs every case on one store before the other:
AppTest runs share Streamlit's st.cache_data within the process, and adjacent runs on the same
store reuse its cached reads and forecasts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from config import PROJECT_ROOT, get_catalogue
from tests.conftest import Store, address, app_test, switch_to
from views.ui import AREA, MEASURE, NAVIGATION

TIMEOUT = 300  # seconds: a cold page fits forecasts for every measure
DISTRICTS_PAGE = "pages/districts.py"

# A standalone placeholder a reader should never see. Word boundaries, so "Nonetheless",
# "financial" or "information" do not match but "nan%", "(None)" and "-inf" do.
PLACEHOLDER = re.compile(r"\b(?:nan|NaN|None|inf|NaT)\b")
# Streamlit draws a missing cell (None, NaN, NaT, pd.NA) as the word "None", unless
# st.dataframe is given a `placeholder`.
DEFAULT_MISSING = "None"

_CATALOGUE = get_catalogue()
_GEOGRAPHY = _CATALOGUE.geography
AREAS = {
    "force": _GEOGRAPHY.force,
    "division": _GEOGRAPHY.division[0].name,
    "district": _GEOGRAPHY.district[0].name,
}
# Each page as a test asks for it (`address`: its file, or an operation's URL path).
PAGES = {address(p, u): title for pages in NAVIGATION.values() for p, title, _, u in pages}
MEASURES = list(_CATALOGUE.measure_by_code)
# Every operation's page (its URL path) and the operation it draws (config/operations.toml).
OPERATION_PAGES = {o.url_path: o.code for o in _CATALOGUE.operations.operation}


def _stem(path: str) -> str:
    return Path(path).stem


def _cases() -> list:
    assert DISTRICTS_PAGE in PAGES, f"{DISTRICTS_PAGE} is not in views.ui.NAVIGATION"
    cases = [
        pytest.param(path, title, {AREA: area}, id=f"{_stem(path)}-{level}")
        for path, title in PAGES.items()
        for level, area in AREAS.items()
    ]
    cases += [
        pytest.param(
            DISTRICTS_PAGE,
            PAGES[DISTRICTS_PAGE],
            {AREA: AREAS["force"], MEASURE: code},
            id=f"{_stem(DISTRICTS_PAGE)}-measure-{code}",
        )
        for code in MEASURES
    ]
    cases += [  # every operation page with each of its measures drawn in full
        pytest.param(
            path, PAGES[path], {AREA: AREAS["force"], MEASURE: code}, id=f"{_stem(path)}-{code}"
        )
        for path, operation in OPERATION_PAGES.items()
        for code in MEASURES
        if operation in _CATALOGUE.measure(code).operations
    ]
    return cases


# --- stores ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["demo", "real"])
def matrix_store(request: pytest.FixtureRequest) -> Store:
    """Each store in turn; module scope makes pytest run all cases of one store together."""
    if request.param == "demo":
        return request.getfixturevalue("demo_sqlite")
    return request.getfixturevalue("policeuk_sqlite")


@pytest.fixture(autouse=True)
def _point_at_store(matrix_store, use_store, monkeypatch) -> None:
    use_store(matrix_store)
    boundary = PROJECT_ROOT.parent / "shared" / "data" / "geo" / "lancashire_districts.geojson"
    if boundary.exists():
        monkeypatch.setenv("BOUNDARY_FILE", str(boundary))


# --- what a reader sees ----------------------------------------------------------------------

TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like cells
        return False


def _missing_text(element) -> str:
    """What a table draws in place of a missing value."""
    proto = element.proto
    try:
        if proto.HasField("placeholder"):
            return proto.placeholder
    except ValueError:  # no such field (st.table)
        pass
    return DEFAULT_MISSING


def _frame_offences(kind: str, index: int, element) -> list[tuple[str, str]]:
    """(where, text) for each offending column name and cell, cells grouped by column."""
    frame: pd.DataFrame = element.value
    missing = _missing_text(element)
    missing_shown = f"{missing} (a missing value, drawn by st.{kind} as {missing!r})"
    found: list[tuple[str, str]] = []
    for col in frame.columns:
        if PLACEHOLDER.search(str(col)):
            found.append((f"{kind}[{index}] column name", str(col)))
    for position, col in enumerate(frame.columns):
        rows: dict[str, list[int]] = defaultdict(list)
        for row, value in enumerate(frame.iloc[:, position]):
            if _is_missing(value):
                if PLACEHOLDER.search(missing):
                    rows[missing_shown].append(row)
            elif isinstance(value, str):
                if PLACEHOLDER.search(value):
                    rows[value].append(row)
            elif hasattr(value, "__iter__"):  # e.g. a sparkline's values: only its words show
                for item in value:
                    if isinstance(item, str) and PLACEHOLDER.search(item):
                        rows[str(item)].append(row)
            elif PLACEHOLDER.search(str(value)):  # inf, -inf
                rows[str(value)].append(row)
        for text, where_rows in rows.items():
            found.append(
                (
                    f"{kind}[{index}] (columns {list(frame.columns)}) column {col!r} "
                    f"rows {where_rows}",
                    text,
                )
            )
    return found


def offences(at: AppTest) -> list[tuple[str, str]]:
    """Every (where, text) pair of rendered text holding a placeholder."""
    found: list[tuple[str, str]] = []
    for kind in TEXT_ELEMENTS:
        for i, element in enumerate(at.get(kind)):
            value = str(element.value)
            if PLACEHOLDER.search(value):
                found.append((f"{kind}[{i}]", value))
    for i, metric in enumerate(at.metric):
        for part in ("label", "value", "delta"):
            value = getattr(metric, part, None)
            if value is not None and PLACEHOLDER.search(str(value)):
                found.append((f"metric[{i}].{part} (label {metric.label!r})", str(value)))
    for i, expander in enumerate(at.expander):
        if PLACEHOLDER.search(str(expander.label)):
            found.append((f"expander[{i}].label", str(expander.label)))
    for kind in ("dataframe", "table"):
        for i, element in enumerate(at.get(kind)):
            found.extend(_frame_offences(kind, i, element))
    return found


def _exception_text(exc) -> str:
    """The exception's message and the innermost frames in the project's own code."""
    trace = [line for entry in (exc.stack_trace or []) for line in entry.splitlines()]
    ours = [
        f"{trace[i].strip()} | {trace[i + 1].strip() if i + 1 < len(trace) else ''}"
        for i, line in enumerate(trace)
        if line.strip().startswith(f'File "{PROJECT_ROOT}')
    ]
    where = "".join(f"\n      at {frame}" for frame in ours[-2:])
    kind = getattr(exc.proto, "type", "") or "Exception"
    return f"{kind}: {exc.message}{where}"


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "title", "params"), _cases())
def test_page_matrix(request, path, title, params):
    at = app_test(timeout=TIMEOUT)
    switch_to(at, path)  # AppTest's switch_page drops the query string: set it after
    for key, value in params.items():
        at.query_params[key] = value
    at.run()

    problems = [f"exception: {_exception_text(e)}" for e in at.exception]
    titles = [t.value for t in at.title]
    if titles[:1] != [title]:
        problems.append(f"title: expected {title!r}, shown {titles}")
    problems += [f"{where}: {text!r}" for where, text in offences(at)]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    if problems:  # one message listing everything, without pytest's repeat of the list
        pytest.fail(
            f"{path}?{query} on the {request.node.callspec.params['matrix_store']} store:\n  - "
            + "\n  - ".join(problems),
            pytrace=False,
        )
