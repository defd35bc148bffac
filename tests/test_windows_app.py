"""The pages on real police.uk files with a gap (January, February and April 2024 loaded,
March 2024 not): the partial window says which months are missing, no chart joins across the
gap, the sparkline marks it, and a link to the missing month says plainly that it has none."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from config import get_catalogue
from db.store import init_store
from present.window_wording import GAP_MARK
from tests.conftest import Store, app_test, require_shared, switch_to

GAPPED_MONTHS = ("2024-01", "2024-02", "2024-04")  # March 2024 left out: a gap


@pytest.fixture(scope="module")
def gapped_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from ingest import inspect
    from ingest.load import load_plan

    catalogue = get_catalogue()
    created = Store("sqlite", tmp_path_factory.mktemp("gapped"))
    init_store(engine=created.engine, catalogue=catalogue, actor="tests")
    for month in GAPPED_MONTHS:
        path = require_shared("data", "policeuk", f"{month}-lancashire-street.csv")
        plan = inspect(path, catalogue=catalogue)
        assert plan.ok, plan.messages()
        load_plan(engine=created.engine, catalogue=catalogue, plan=plan, actor="tests")
    yield created
    created.close()


def _array(values) -> np.ndarray:
    """A plotly JSON array: a list, or typed ({"dtype", "bdata"}: base64 of the numbers)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def _run(page: str | None = None, **params: str):
    at = app_test(account="test analyst", role="analyst")
    if page:
        switch_to(at, page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_to_a_month_with_no_data_says_so_and_names_what_is_shown(gapped_store, use_store):
    use_store(gapped_store)
    at = _run(period="2024-03")
    warnings = " ".join(w.value for w in at.warning)
    assert "which has no data in this store (nothing is loaded for March 2024)" in warnings
    assert "showing April 2024 instead" in warnings
    month = next(s for s in at.sidebar.selectbox if s.label == "Month")
    assert list(month.options) == ["April 2024", "February 2024", "January 2024"]
    shown = at.table[0].value
    sparklines = shown["Last 24 months"].astype(str)
    drawn = [s for s in sparklines if s.strip()]
    assert drawn and all(s == s[:2] + GAP_MARK + s[3:] and len(s) == 4 for s in drawn)


def test_the_partial_window_is_named_and_no_chart_joins_across_the_gap(gapped_store, use_store):
    use_store(gapped_store)
    at = _run("vulture")
    text = " ".join(m.value for m in at.markdown)
    assert (
        "No figure for the 12 months to April 2024: 3 of 12 months loaded (missing: May to "
        "December 2023, March 2024), so they are not judged"
    ) in text
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    multiples = next(f for f in figures if "by district" in f["layout"]["title"]["text"])
    for trace in multiples["data"]:
        line = pd.Series(_array(trace["y"]), index=pd.to_datetime(trace["x"]), dtype=float)
        assert line.index.equals(pd.date_range("2024-01-01", "2024-04-01", freq="MS"))
        assert (
            pd.isna(line.loc["2024-03-01"]) and line.drop(pd.Timestamp("2024-03-01")).notna().all()
        )
    assert any(a.get("text") == "gap" for a in multiples["layout"]["annotations"])
