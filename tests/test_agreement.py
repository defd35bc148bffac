"""A page, the board pack and the public summary agree figure for figure on the demonstration
data: the three are drawn by different code paths over the same store (the Overview page in
Streamlit, the pack's workbook, the public summary's page and CSV), so a figure that differs
between them is a fault a board member would find. Each check reads what a person would read
(the page's table and sentences, the workbook's cells, the CSV), not the objects behind them."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from boardpack import content, output
from config import get_catalogue
from db.engine import session_scope
from db.queries import store_summary
from metrics.periods import shift_month
from publicsummary import export, gather
from tests.conftest import Store, open_page

PUBLIC_PAGE = "pages/public-summary.py"
HEADER_ROW = 4  # the workbook's table header (rows 1-3: title, freshness, blank)


def _sheet(book, name: str) -> pd.DataFrame:
    rows = list(book[name].values)[HEADER_ROW - 1 :]
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture(scope="module")
def outputs(demo_sqlite: Store):
    """The force's pack for the meeting after the latest month, as a workbook read back, and
    the public summary of the latest complete half-year, as its CSV read back."""
    cat = get_catalogue()
    with session_scope(demo_sqlite.engine) as session:
        latest = store_summary(session=session).latest_month
        summary = gather(session=session, catalogue=cat)
    pack = content.build(
        engine=demo_sqlite.engine,
        catalogue=cat,
        meeting=shift_month(latest, 1).replace(day=20),
        area=cat.geography.force,
        previous=None,
    )
    book = load_workbook(io.BytesIO(output.render(pack, "xlsx")), read_only=True)
    public = pd.read_csv(io.BytesIO(export.csv(summary, cat)))
    return latest, book, summary, public


LEADING = re.compile(r"^(\d[\d,]*(?:\.(\d+))?)")  # "12,748", "87.3%", "2,694 (to July ...)"


def _leading(text: str) -> float:
    """The figure a cell of the page opens with, as a number."""
    return float(LEADING.match(text).group(1).replace(",", ""))


def _says(why: str, chance: float | None) -> bool:
    """Whether the page's reason states the workbook's chance: "22% chance", or "over 95%" /
    "under 5%" beyond those bounds; no chance (insufficient data), no percentage."""
    found = re.search(r"(over |under )?(\d+)% chance", why)
    if chance is None or pd.isna(chance):
        return found is None
    if found is None:
        return False
    bound, figure = found.group(1), int(found.group(2))
    if bound == "over ":
        return chance > figure / 100
    if bound == "under ":
        return chance < figure / 100
    return figure == round(100 * chance)


def _as_shown(numbers: pd.Series, texts: pd.Series) -> list[float]:
    """The workbook's numbers rounded to the decimals the page shows each with."""
    return [
        round(float(n), len(LEADING.match(t).group(2) or ""))
        for n, t in zip(numbers, texts, strict=True)
    ]


def test_the_overview_page_and_the_pack_give_every_measure_the_same_figures(
    outputs, demo_sqlite, use_store
):
    latest, book, _, _ = outputs
    use_store(demo_sqlite)
    page = open_page().table[0].value  # the Overview: the force, the latest month
    packed = _sheet(book, "Summary")
    raw = _sheet(book, "Summary figures")
    cat = get_catalogue()
    assert [cat.measure(code).short_title for code in raw["code"]] == page.index.tolist()
    assert page["Status"].tolist() == packed["Status"].tolist()
    for column in ("Latest 12 months", "Baseline year"):
        assert _as_shown(packed[column], page[column]) == page[column].map(_leading).tolist()
    assert page["SPC: variation · assurance"].tolist() == (
        packed["SPC: variation · assurance"].tolist()
    )
    for why, chance in zip(page["Why"], packed["Chance of meeting the target"], strict=True):
        assert _says(why, chance), (why, chance)
    assert max(pd.to_datetime(raw["judged_to"])).date() == latest  # the latest month's pack


def _months(period) -> list[date]:
    months, month = [], period.first
    while month <= period.last:
        months.append(month)
        month = shift_month(month, 1)
    return months


def test_the_public_summary_counts_are_the_packs_monthly_figures_added_up(outputs):
    _, book, summary, public = outputs
    monthly = _sheet(book, "Monthly figures")
    monthly["month"] = pd.to_datetime(monthly["month"]).dt.date
    force = get_catalogue().geography.force
    shown = public[(public["area_type"] == "force") & (public["area"] == force)]
    assert len(shown) == len(summary.measures) > 0
    months = _months(summary.period)
    for row in shown.itertuples():
        values = monthly[
            (monthly["measure"] == row.measure)
            & (monthly["level"] == "force")
            & monthly["month"].isin(months)
        ]["value"]
        assert len(values) == len(months), row.measure  # every month of the half-year
        assert values.sum() == row.count, row.measure


def test_the_public_summary_page_says_the_csvs_figures(outputs, demo_sqlite, use_store):
    public = outputs[3]
    use_store(demo_sqlite)
    page = open_page(PUBLIC_PAGE)
    said = [m.value.replace("\\", "") for m in page.markdown]
    force = get_catalogue().geography.force
    shown = public[(public["area_type"] == "force") & (public["area"] == force)]
    for row in shown.itertuples():
        found = [
            s
            for s in said
            if f"there were {int(row.count):,} " in s
            and f" in {force}." in s
            and f"there were {int(row.previous_count):,}." in s
        ]
        assert len(found) == 1, (row.measure, row.count, row.previous_count)
