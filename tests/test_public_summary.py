"""The six-monthly public summary (issues 13 and 25): it compares a half year with the same
months a year before, never holds a count from 1 to threshold - 1, nor a withheld figure that
can be worked out from the figures shown (within a period, across the periods and through the
change column), nor a rate beside a withheld count, in the page, its HTML or its CSV; its CSV
keeps numbers and words in separate columns."""

from __future__ import annotations

import argparse
import dataclasses
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from commands.public import add_public_commands, cmd_public
from config import ConfigError, get_catalogue, get_settings, load_catalogue
from config.models import PublicSummary
from config.vocabulary import UNALLOCATED
from db import commentary
from db.commentary import Text
from db.engine import session_scope
from db.queries import monthly_values
from db.store import init_store
from metrics.periods import shift_month
from metrics.suppression import exposed
from metrics.tables import area_population
from present import public_wording as pw
from publicsummary import export, gather, periods
from publicsummary.periods import Period
from tests.conftest import Store, open_page
from tests.test_commentary import approve

CAT = get_catalogue()
FORCE = CAT.geography.force
PAGE = "pages/public-summary.py"
# Civil orders in the hand-built store: each district's count for a half year, all of it in
# the half year's first month (zeros in the other five).
CURRENT = {
    "Blackburn with Darwen": 20, "Burnley": 3, "Hyndburn": 12, "Pendle": 0, "Ribble Valley": 7,
    "Rossendale": 9, "Chorley": 15, "Preston": 30, "South Ribble": 2, "West Lancashire": 11,
    "Blackpool": 40, "Fylde": 0, "Lancaster": 25, "Wyre": 6, UNALLOCATED: 4,
}  # fmt: skip
PREVIOUS = {
    "Blackburn with Darwen": 18, "Burnley": 8, "Hyndburn": 1, "Pendle": 5, "Ribble Valley": 0,
    "Rossendale": 10, "Chorley": 14, "Preston": 28, "South Ribble": 6, "West Lancashire": 9,
    "Blackpool": 35, "Fylde": 3, "Lancaster": 20, "Wyre": 7, UNALLOCATED: 0,
}  # fmt: skip
MIDDLE = {name: 10 for name in CURRENT} | {UNALLOCATED: 0}  # October 2024 to March 2025
HALF_YEARS = {date(2024, 4, 1): PREVIOUS, date(2024, 10, 1): MIDDLE, date(2025, 4, 1): CURRENT}
HOSTILE = "[link](http://x) <script>alert('x')</script> **bold**"
NUMBER = re.compile(r"\d[\d,]*")


# --- helpers ---------------------------------------------------------------------------------


def _returns(path: Path, half_years: dict | None = None) -> Path:
    lines = ["measure,month,area,value"]
    for first, counts in (half_years or HALF_YEARS).items():
        for k in range(6):
            month = shift_month(first, k)
            lines += [
                f"civil_orders,{month:%Y-%m},{area},{value if k == 0 else 0}"
                for area, value in counts.items()
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(store: Store, tmp: Path) -> Store:
    """The hand-built store: civil orders April 2024 to September 2025, and commentary."""
    from ingest import inspect
    from ingest.load import load_plan

    init_store(engine=store.engine, catalogue=CAT, actor="tests")
    plan = inspect(_returns(tmp / "returns.csv"), catalogue=CAT, kind="returns")
    assert plan.ok, plan.messages()
    load_plan(engine=store.engine, catalogue=CAT, plan=plan, actor="tests")
    notes = [
        (date(2025, 6, 1), HOSTILE, True),
        (date(2025, 7, 1), "SECRET internal note", False),
        (date(2024, 12, 1), "OLDNEWS from the period before", True),
    ]
    with session_scope(store.engine) as session:
        for month, what, public in notes:
            commentary.write(
                session=session,
                actor="Sgt Writer",
                measure_code="civil_orders",
                area=FORCE,
                month=month,
                text=Text(what=what, actions=f"Acted: {what}", owner="PC Named", public=public),
            )
            if public:  # published once a second person approves it (issue 25)
                approve(session, measure_code="civil_orders", area=FORCE, month=month)
    return store


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("public-small")
    built = _build(Store("sqlite", tmp), tmp)
    yield built
    built.close()


def _summary(store: Store, **options):
    with session_scope(store.engine) as session:
        return gather(session=session, catalogue=options.pop("catalogue", CAT), **options)


def _visible(html: str) -> str:
    """The text a reader of the HTML sees (no tags, styles or attributes)."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = False

        def handle_starttag(self, tag, _attrs) -> None:
            self.skip = tag == "style"

        def handle_endtag(self, _tag) -> None:
            self.skip = False

        def handle_data(self, data) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


RATE_OR_CHANGE = re.compile(
    r"\d[\d,]*\.\d|1,000|\b(?:up|down) \d[\d,]*|\d[\d,]* (?:more|fewer) this time"
)


def _small_numbers(text: str, threshold: int) -> list[int]:
    """Every count in `text` from 1 to threshold - 1: every number but a rate (one decimal
    place), "1,000" (of "for every 1,000 people") and a change between two published figures
    ("up 2", "2 more this time"), which is exact however small."""
    numbers = [int(n.replace(",", "")) for n in NUMBER.findall(RATE_OR_CHANGE.sub(" ", text))]
    return [n for n in numbers if 0 < n < threshold]


def _csv_small(summary, threshold: int) -> list[float]:
    """Every count in the CSV from 1 to threshold - 1 (its count columns, parsed as numbers)."""
    import io

    read = pd.read_csv(io.BytesIO(export.csv(summary, CAT)), encoding="utf-8-sig")
    counts = pd.concat([read[c] for c in ("count", "previous_count", "earlier_count")]).dropna()
    return counts[(counts > 0) & (counts < threshold)].tolist()


def _truth(session, period: Period, code: str) -> pd.DataFrame:
    """The true counts of a period, straight from the store: indexed by area, columns parent
    and count (the unlinked figure only when it is not zero)."""
    sums = {}
    for level in ("district", "division", "force"):
        found = monthly_values(
            session=session, level=level, measures=[code], start=period.first, end=period.last
        )
        sums[level] = found.groupby("area")["value"].sum()
    parent = {d.name: d.division for d in CAT.geography.district}
    if sums["force"].empty:
        return pd.DataFrame(columns=["parent", "count"], index=pd.Index([], name="area"))
    rows = [(FORCE, None, sums["force"][FORCE])]
    rows += [(name, FORCE, value) for name, value in sums["division"].items()]
    rows += [(name, parent[name], value) for name, value in sums["district"].items()]
    unlinked = sums["force"][FORCE] - sums["district"].sum()
    if unlinked:
        rows.append((UNALLOCATED, FORCE, unlinked))
    return pd.DataFrame(rows, columns=["area", "parent", "count"]).set_index("area")


def _exposed(truth: pd.DataFrame, shown: pd.DataFrame) -> list[tuple[str, str]]:
    """Withheld cells that the sums of both periods and the changes shown determine: the
    withheld cells of both columns as the unknowns of one linear system (`exposed` takes
    one column at a time; a change shown beside a withheld figure would tie the two columns
    together)."""
    columns = ("current", "previous")
    hidden = [(a, c) for c in columns for a in truth.index if shown.at[a, f"{c}_withheld"]]
    place = {cell: i for i, cell in enumerate(hidden)}

    def equation(terms: list[tuple[tuple[str, str], int]]) -> np.ndarray:
        row = np.zeros(len(hidden))
        for cell, sign in terms:
            if cell in place:
                row[place[cell]] += sign
        return row

    parents = [p for p in truth.index if (truth["parent"] == p).any()]
    rows = [
        equation([((p, c), 1)] + [((k, c), -1) for k in truth.index[truth["parent"] == p]])
        for c in columns
        for p in parents
    ]
    rows += [
        equation([((a, "current"), 1), ((a, "previous"), -1)])
        for a in truth.index
        if pd.notna(shown.at[a, "change"])
    ]
    rows = [r for r in rows if r.any()]
    if not rows:
        return []
    system = np.vstack(rows)
    rank = np.linalg.matrix_rank(system)
    units = np.eye(len(hidden))
    return [
        c for c, i in place.items() if np.linalg.matrix_rank(np.vstack([system, units[i]])) == rank
    ]


PARENT = {  # the tree of areas, with figures linked to no district under the force
    FORCE: None,
    UNALLOCATED: FORCE,
    **{d.name: FORCE for d in CAT.geography.division},
    **{d.name: d.division for d in CAT.geography.district},
}


def _true_table(session, summary, code: str, areas: pd.Index) -> pd.DataFrame:
    """The true counts of `areas`: parent, current, previous (NaN for a period with no
    complete figures)."""
    table = pd.DataFrame({"parent": areas.map(PARENT)}, index=areas)
    for column, period in (("current", summary.period), ("previous", summary.previous)):
        counts = _truth(session, period, code)["count"]
        table[column] = counts.reindex(areas).fillna(0).astype(float)
    return table


def _published(summary, code: str) -> pd.DataFrame:
    """What the CSV export publishes of a measure, by area: each period's count (NaN when
    withheld or blank), whether it is withheld, and the change where it is a number."""
    rows = export.rows(summary, CAT)
    rows = rows[rows["measure"] == code]
    areas = [UNALLOCATED if t == "unlinked" else a for a, t in rows[["area", "area_type"]].values]
    shown = pd.DataFrame(index=pd.Index(areas, name="area"))
    for column, text in (("current", "count"), ("previous", "previous_count")):
        shown[column] = pd.to_numeric(rows[text]).to_numpy(dtype=float)
        shown[f"{column}_withheld"] = (rows[f"{text}_note"] == "withheld").to_numpy()
        shown[f"{column}_blank"] = (rows[f"{text}_note"] == "no figure").to_numpy()
    shown["change"] = pd.to_numeric(rows["change"]).to_numpy(dtype=float)
    shown["change_text"] = rows["change_note"].to_numpy()
    for column in ("rate_per_1000", "previous_rate_per_1000"):
        shown[column] = rows[column].to_numpy(dtype=float)
    return shown


def _check_safe(summary, session) -> None:
    """In what the export publishes, every figure is true, none is from 1 to threshold - 1, a
    change is given only beside two figures shown, and no withheld figure can be worked out:
    each period alone, to within the threshold (`exposed`), and both with the changes. A rate
    is given only beside a count shown."""
    for measure in summary.measures:
        shown = _published(summary, measure.code)
        truth = _true_table(session, summary, measure.code, shown.index)
        for column in ("current", "previous"):
            truth.loc[shown[f"{column}_blank"], column] = np.nan  # no complete figures
            visible = shown[column].dropna()
            assert (visible == truth.loc[visible.index, column]).all(), (measure.code, column)
            assert not ((visible > 0) & (visible < summary.threshold)).any(), measure.code
        both = shown["current"].notna() & shown["previous"].notna()
        assert shown.loc[~both, "change"].isna().all(), measure.code
        assert shown.loc[~both, "change_text"].isin(["withheld", "no figure"]).all(), measure.code
        given = shown.loc[both]
        assert (given["change"] == given["current"] - given["previous"]).all(), measure.code
        mask = shown[["current_withheld", "previous_withheld"]].set_axis(
            ["current", "previous"], axis=1
        )
        found = exposed(
            truth.reset_index(), mask, ["current", "previous"], threshold=summary.threshold
        )
        assert found == [], measure.code
        assert _exposed(truth, shown) == [], measure.code
        for column, rate in (("current", "rate_per_1000"), ("previous", "previous_rate_per_1000")):
            assert (shown[rate].notna() <= shown[column].notna()).all(), measure.code


# --- the period and the configuration --------------------------------------------------------


def _span(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01")
    return set(Period(start, end).months())


@pytest.mark.parametrize(
    ("complete", "expected"),
    [
        ([_span("2022-04", "2026-10")], ("2026-04", "2026-09")),
        ([_span("2022-04", "2026-08")], ("2025-10", "2026-03")),
        ([_span("2023-10", "2024-03")], ("2023-10", "2024-03")),
        ([_span("2023-10", "2024-03") - _span("2023-12", "2023-12")], None),
        ([_span("2023-10", "2023-12"), _span("2024-01", "2024-03")], None),
        ([_span("2024-01", "2024-04")], None),
        ([], None),
    ],
)
def test_the_period_is_the_latest_half_year_some_measure_has_complete(complete, expected):
    found = periods.available(complete, rules=CAT.public)
    first = found[0] if found else None
    shown = (f"{first.first:%Y-%m}", f"{first.last:%Y-%m}") if first else None
    assert shown == expected


def _p(first: str, last: str) -> Period:
    return Period(date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01"))


@pytest.mark.parametrize(
    ("period", "years", "expected"),
    [
        (_p("2026-04", "2026-09"), 1, _p("2025-04", "2025-09")),  # summer against summer
        (_p("2025-10", "2026-03"), 1, _p("2024-10", "2025-03")),  # across the new year
        (_p("2026-04", "2026-09"), 2, _p("2024-04", "2024-09")),
        (_p("2024-01", "2024-03"), 1, _p("2023-01", "2023-03")),  # a quarter
        (_p("2024-02", "2024-02"), 1, _p("2023-02", "2023-02")),  # one month
    ],
)
def test_a_period_is_compared_with_the_same_months_a_year_before(period, years, expected):
    assert period.year_before(years) == expected
    assert len(expected.months()) == len(period.months())
    assert [m.month for m in expected.months()] == [m.month for m in period.months()]


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([_p("2026-04", "2026-09")], [_p("2026-04", "2026-09"), _p("2025-04", "2025-09")]),
        (
            [_p("2026-04", "2026-09"), _p("2025-10", "2026-03"), _p("2025-04", "2025-09")],
            [_p("2026-04", "2026-09"), _p("2025-04", "2025-09")],
        ),
        (
            [_p("2026-04", "2026-09"), _p("2025-04", "2025-09"), _p("2024-04", "2024-09")],
            [_p("2026-04", "2026-09"), _p("2025-04", "2025-09"), _p("2024-04", "2024-09")],
        ),
    ],
)
def test_the_tables_compare_the_same_half_year_one_and_two_years_before(found, expected):
    """Never the six months just before; two years before only when loaded and complete."""
    assert list(periods.compared(found[0], found)) == expected
    assert _p("2025-10", "2026-03") not in periods.compared(found[0], found)


def test_the_trend_is_every_complete_half_year_up_to_the_period_oldest_first():
    found = [_p("2026-04", "2026-09"), _p("2025-10", "2026-03"), _p("2024-10", "2025-03")]
    assert list(periods.trend(found[1], found)) == [found[2], found[1]]


@pytest.mark.parametrize(
    ("months", "end_months", "problem"),
    [
        (6, [3, 6], "end_months closer than 6 months make periods overlap"),
        (12, [3, 9], "end_months closer than 12 months make periods overlap"),
        (6, [3, 13], "end_months are months of the year, 1 to 12"),
    ],
)
def test_overlapping_periods_are_refused(months, end_months, problem):
    with pytest.raises(ValueError, match=problem):
        PublicSummary(months=months, end_months=end_months, measures=["asb_incidents"])


def test_the_summary_shows_only_count_measures(tmp_path):
    import shutil

    from config import PROJECT_ROOT

    target = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", target, ignore=shutil.ignore_patterns("*.py", "__*"))
    path = target / "public.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"civil_orders",', '"public_confidence",'),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_catalogue(target)
    assert raised.value.problems == [
        f"{path}: measures: 'public_confidence' is not the code of a count measure"
    ]


def test_the_catalogue_loads_the_public_summary_settings():
    assert (CAT.public.months, CAT.public.end_months) == (6, [3, 9])
    assert CAT.public.measures == [
        "asb_incidents",
        "asb_vehicle_incidents",
        "civil_orders",
        "shoplifting_recorded",
        "shoplifting_positive_outcomes",
        "prolific_offender_cbos",
        "enforcement_actions",
    ]


# --- a hand-built store with small numbers ---------------------------------------------------

SMALL_TABLE = [  # area, April-September 2025, its rate, April-September 2024, change
    ("Lancashire (whole force)", "184", "0.1", "164", "up 20"),
    ("East division", "withheld", "withheld", "42", "withheld"),
    ("Blackburn with Darwen", "20", "0.1", "18", "up 2"),
    ("Burnley", "withheld", "withheld", "withheld", "withheld"),  # 1 + 8: 1 + 5 too narrow
    ("Hyndburn", "12", "0.1", "withheld", "withheld"),
    ("Pendle", "0", "0.0", "5", "down 5"),
    ("Ribble Valley", "withheld", "withheld", "0", "withheld"),
    ("Rossendale", "9", "0.1", "10", "down 1"),
    ("South division", "58", "0.1", "57", "up 1"),
    ("Chorley", "15", "0.1", "14", "up 1"),
    ("Preston", "30", "0.2", "28", "up 2"),
    ("South Ribble", "withheld", "withheld", "6", "withheld"),
    ("West Lancashire", "withheld", "withheld", "9", "withheld"),
    ("West division", "71", "0.1", "65", "up 6"),
    ("Blackpool", "40", "0.3", "35", "up 5"),
    ("Fylde", "0", "0.0", "withheld", "withheld"),
    ("Lancaster", "25", "0.2", "20", "up 5"),
    ("Wyre", "6", "0.1", "withheld", "withheld"),
    ("Not linked to a district", "withheld", "withheld", "0", "withheld"),
]


def _civil_orders(summary):
    return next(m for m in summary.measures if m.code == "civil_orders")


def test_small_counts_are_withheld_with_every_figure_that_would_give_them_away(small):
    summary = _summary(small, threshold=5)
    assert summary.period == Period(date(2025, 4, 1), date(2025, 9, 1))
    table = pw.table(_civil_orders(summary), summary)
    assert list(table.columns) == [
        "Area",
        "April to September 2025",
        "For every 1,000 people",
        "April to September 2024",
        "Change from a year before",
    ]
    assert [tuple(r) for r in table.itertuples(index=False)] == SMALL_TABLE
    assert pw.sentence(_civil_orders(summary), summary, CAT) == (
        "From April to September 2025, there were 184 times we used an order or power in "
        "Lancashire. That is 0.1 for every 1,000 people. In the same months a year before "
        "(April to September 2024) there were 164. So there were 20 more this time."
    )


def test_a_small_change_between_two_published_figures_is_given_exactly(small):
    """Both figures are published, so their difference reveals nothing: never "fewer than"."""
    summary = _summary(small, threshold=5)
    text = _visible(export.html(summary, CAT).decode())
    assert "fewer than 5" not in text and "by fewer" not in text
    rows = export.rows(summary, CAT).set_index(["measure", "area"]).loc["civil_orders"]
    assert rows.loc["Rossendale", ["count", "previous_count", "change"]].tolist() == [9, 10, -1]
    assert rows.loc["Burnley", "change_note"] == "withheld"
    assert pd.isna(rows.loc["Burnley", "change"])


def test_the_store_is_read_the_same_on_each_backend(store, tmp_path):
    summary = _summary(_build(store, tmp_path), threshold=5)
    table = pw.table(_civil_orders(summary), summary)
    assert [tuple(r) for r in table.itertuples(index=False)] == SMALL_TABLE
    assert [(f"{m:%Y-%m}", w) for m, w in summary.said_did[["month", "what"]].to_numpy()] == [
        ("2025-06", HOSTILE)
    ]


@pytest.mark.parametrize("threshold", [2, 5, 10, 50])
def test_nothing_shown_is_small_or_can_be_worked_out_small_store(small, threshold):
    summary = _summary(small, threshold=threshold)
    with session_scope(small.engine) as session:
        _check_safe(summary, session)
    html = export.html(summary, CAT).decode()
    assert _small_numbers(_visible(html), threshold) == []
    assert _csv_small(summary, threshold) == []


def test_the_threshold_setting_is_read(small, monkeypatch):
    monkeypatch.setenv("SMALL_NUMBER_THRESHOLD", "10")
    get_settings.cache_clear()
    try:
        summary = _summary(small)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert summary.threshold == 10
    rows = _civil_orders(summary).rows
    assert rows.loc["Rossendale", "current_withheld"]  # 9: shown at the default threshold of 5
    said = " ".join(pw.how_to_read(summary, CAT))
    assert "We hide figures above zero and below 10" in said
    assert _summary(small).threshold == 5


def test_you_said_we_did_is_public_commentary_of_the_period_as_inert_text(small):
    summary = _summary(small)
    assert pw.said_did_items(summary, CAT) == [
        (
            "June 2025, Lancashire: Orders and powers used",
            f"What happened: {HOSTILE}",
            f"What we are doing: Acted: {HOSTILE}",
        )
    ]
    html = export.html(summary, CAT).decode()
    assert "<script" not in html and "<a " not in html and "<strong" not in html
    assert "[link](http://x) &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; **bold**" in html
    for hidden in ("SECRET", "OLDNEWS", "PC Named", "Sgt Writer"):
        assert hidden not in html


# --- the demonstration store -----------------------------------------------------------------


@pytest.mark.parametrize("threshold", [5, 10])
def test_nothing_shown_is_small_or_can_be_worked_out_demo(demo_sqlite, threshold):
    summary = _summary(demo_sqlite, threshold=threshold)
    assert summary.period == Period(date(2026, 4, 1), date(2026, 9, 1))
    assert summary.is_demo
    assert sum(m.withheld for m in summary.measures) > 0
    with session_scope(demo_sqlite.engine) as session:
        _check_safe(summary, session)
    html = export.html(summary, CAT).decode()
    assert _small_numbers(_visible(html), threshold) == []
    assert _csv_small(summary, threshold) == []


def test_the_demo_summary_reads_as_written_for_residents(demo_sqlite):
    summary = _summary(demo_sqlite)
    html = _visible(export.html(summary, CAT).decode())
    assert pw.DEMO in html
    assert pw.intro(summary, CAT) == (
        "Lancashire Police has a plan to tackle anti-social behaviour. We said we would tell "
        "you how it is going every six months. This report gives the figures for April to "
        "September 2026. It covers Lancashire, its three divisions and each of its districts "
        "(council areas). We compare each figure with the same months a year before (April to "
        "September 2025)."
    )
    assert "six months before" not in html and "October 2025 to March 2026)" not in html
    for text in (html, export.csv(summary, CAT).decode("utf-8-sig")):
        assert "ASB-" not in text  # no incident reference
        assert not re.search(r"\bnan\b|\bNone\b|NaN", text)


def test_an_earlier_month_gives_the_half_year_it_completes(demo_sqlite):
    summary = _summary(demo_sqlite, through=date(2026, 8, 1))
    assert (summary.period, summary.previous) == (
        Period(date(2025, 10, 1), date(2026, 3, 1)),
        Period(date(2024, 10, 1), date(2025, 3, 1)),
    )
    assert summary.periods[0] == summary.period


def test_the_csv_keeps_numbers_and_words_in_separate_columns(demo_sqlite):
    import io

    summary = _summary(demo_sqlite)
    read = pd.read_csv(io.BytesIO(export.csv(summary, CAT)), encoding="utf-8-sig")
    assert list(read.columns) == export.CSV_COLUMNS
    assert len(read) == 7 * 18
    for column in export.NUMERIC:  # numbers or blank, never words
        assert pd.api.types.is_numeric_dtype(read[column]), column
    for column, note in (
        ("count", "count_note"),
        ("previous_count", "previous_count_note"),
        ("change", "change_note"),
    ):
        blank = read[column].isna()
        assert read.loc[blank, note].isin(["withheld", "no figure"]).all(), column
        assert read.loc[~blank, note].isna().all(), column
    assert (read["rate_per_1000"].notna() <= read["count"].notna()).all()
    force = read[(read["measure"] == "asb_incidents") & (read["area_type"] == "force")].iloc[0]
    assert (force["period"], force["previous_period"]) == (
        "April to September 2026",
        "April to September 2025",
    )
    assert force["change"] == force["count"] - force["previous_count"]
    people = sum(CAT.geography.population(d) for d in CAT.geography.district)
    assert force["rate_per_1000"] == pytest.approx(force["count"] * 1000 / people, abs=5e-4)


# --- stores with little or nothing ------------------------------------------------------------


def test_a_store_of_police_uk_files_alone_says_why_there_is_no_summary(policeuk_sqlite):
    summary = _summary(policeuk_sqlite)
    assert summary.period is None
    assert pw.no_period(summary, CAT) == (
        "The report covers six full months that end in March or September. It needs figures "
        "for every district in every month. We have figures from January 2024 to April 2024. "
        "That is not enough yet, so there is no report to show."
    )


def test_police_uk_figures_read_well_over_a_shorter_period(policeuk_sqlite):
    quarters = PublicSummary(months=3, end_months=[3, 6, 9, 12], measures=CAT.public.measures)
    catalogue = dataclasses.replace(CAT, public=quarters)
    summary = _summary(policeuk_sqlite, catalogue=catalogue)
    assert summary.period == Period(date(2024, 1, 1), date(2024, 3, 1))
    said = {m.code: pw.sentence(m, summary, catalogue) for m in summary.measures}
    assert said["asb_incidents"].startswith("From January to March 2024, there were ")
    assert said["asb_incidents"].endswith(
        " for every 1,000 people. We do not have the figures for the same months a year before "
        "(January to March 2023) to compare with."
    )
    assert said["civil_orders"] == (
        "We do not have all the figures on times we used an order or power for January to "
        "March 2024, so we cannot give them."
    )
    rows = next(m for m in summary.measures if m.code == "asb_incidents").rows
    shown = rows[rows["current"].notna() & (rows["level"] != "unlinked")]
    people = [area_population(CAT, a) for a in shown.index]
    expected = (shown["current"] * 1000 / people).round(3)
    assert (shown["current_rate"] == expected).all()
    assert rows.loc[rows["current_withheld"], "current_rate"].isna().all()
    html = export.html(summary, catalogue).decode()
    assert not re.search(r"\bnan\b|\bNone\b|NaN", _visible(html))
    with session_scope(policeuk_sqlite.engine) as session:
        _check_safe(summary, session)


def test_an_empty_store_says_there_is_nothing_to_summarise(tmp_path, use_store):
    empty = Store("sqlite", tmp_path)
    init_store(engine=empty.engine, catalogue=CAT, actor="tests")
    summary = _summary(empty)
    assert (summary.period, summary.held, summary.measures) == (None, None, ())
    assert pw.no_period(summary, CAT) == pw.NO_FIGURES
    assert "nothing to show" in _visible(export.html(summary, CAT).decode())
    use_store(empty)
    at = open_page(PAGE)
    assert at.info[-1].value == pw.NO_FIGURES
    empty.close()


# --- the command line ---------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="manage.py")
    add_public_commands(parser.add_subparsers(dest="command"))
    return cmd_public(parser.parse_args(["public", *argv]))


@pytest.mark.parametrize(
    ("day", "name", "expected"),
    [
        ("2026-10-15", "summary.html", "Progress report: April to September 2026"),
        ("2026-09-30", "summary.html", "Progress report: October 2025 to March 2026"),
        ("2026-11-01", "summary.csv", "asb_incidents,Anti-social behaviour,Lancashire,force,"
         "April to September 2026,"),
    ],
)  # fmt: skip
def test_the_command_writes_the_summary_for_a_date(
    demo_sqlite, use_store, tmp_path, day, name, expected, capsys
):
    use_store(demo_sqlite)
    out = tmp_path / name
    assert _run("--out", str(out), "--date", day) == 0
    written = out.read_text(encoding="utf-8-sig")
    assert expected in written
    assert "(DEMONSTRATION data)" in capsys.readouterr().out


def test_the_command_writes_nothing_without_a_complete_period(
    policeuk_sqlite, use_store, tmp_path, capsys
):
    use_store(policeuk_sqlite)
    out = tmp_path / "summary.html"
    assert _run("--out", str(out), "--format", "html") == 1
    assert not out.exists()
    assert capsys.readouterr().err.startswith("No public summary written: The report covers")


def test_the_command_refuses_a_malformed_date(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        _run("--out", str(tmp_path / "x.html"), "--date", "2026-13-01")
    assert exited.value.code == 2
    assert "'2026-13-01' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


# --- the page ------------------------------------------------------------------------------


def _page_text(at) -> tuple[str, list[pd.DataFrame]]:
    """The summary's own words on the page (not the dashboard's status line) and its tables."""
    parts = [
        e.value
        for kind in ("header", "subheader", "markdown", "text", "info")
        for e in getattr(at, kind)
    ]
    parts += [c.value for c in at.caption if not c.value.startswith("Latest month of data")]
    return "\n".join(parts).replace("\\", ""), [d.value for d in at.dataframe]


def test_the_page_shows_the_demo_summary(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = open_page(PAGE)
    text, tables = _page_text(at)
    assert [h.value for h in at.header] == ["Progress report: April to September 2026"]
    assert "Demonstration data" in at.warning[0].value
    assert len(tables) == 9  # your area, its trend, and a table for each of 7 measures
    cells = "\n".join(t.to_csv(index=False) for t in tables)
    assert _small_numbers(cells, 5) == [] and _small_numbers(text, 5) == []
    assert "ASB-" not in text + cells
    assert not re.search(r"\bnan\b|\bNone\b|NaN", text + cells)


def test_the_page_shows_public_commentary_inert(small, use_store):
    use_store(small)
    at = open_page(PAGE)
    text, tables = _page_text(at)
    heading = "**June 2025, Lancashire: Orders and powers used**"
    assert heading in at.markdown.values  # what people wrote follows as plain text (st.text)
    items = [t for t in at.text.values if "What happened" in t]
    assert items == [f"What happened: {HOSTILE}\nWhat we are doing: Acted: {HOSTILE}"]
    assert not [m for m in at.markdown.values if "What happened" in m]
    assert _small_numbers("\n".join(t.to_csv(index=False) for t in tables), 5) == []
    assert "SECRET" not in text and "OLDNEWS" not in text


def test_the_page_on_police_uk_files_alone_says_why(policeuk_sqlite, use_store):
    use_store(policeuk_sqlite)
    at = open_page(PAGE)
    assert [i.value for i in at.info] == [pw.no_period(_summary(policeuk_sqlite), CAT)]
    assert not at.dataframe
