"""The Time patterns page: heat maps where incidents have a time of day, and where they do not
(police.uk files carry the month only) a plain sentence saying why and which file would answer,
never an empty heat map or "nan%". The caption's plan period comes from config."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from config.models import Period
from tests.conftest import open_page
from views import reads

PAGE = "pages/time-patterns.py"
NO_TIMES = (
    "No ASB incidents with a time of day are loaded for Lancashire in the 12 months May 2023 "
    "to April 2024, so there is no heat map. police.uk street files carry only the month of "
    "each incident, not its time or day of the week. A force ASB incident extract answers this "
    "page (one row per incident with its date and time in `occurred_at`; columns in the README "
    'section "Incident extracts"): load one on the Data store page or with '
    "`python manage.py load`."
)


def run(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def texts(at: AppTest) -> list[str]:
    """Everything a reader sees as text on the page."""
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.title]
    return [e.value for e in elements]


@pytest.fixture
def policeuk_store(policeuk_sqlite):
    """The four real police.uk months of ../shared only: no time of day anywhere."""
    return policeuk_sqlite


@pytest.mark.parametrize(
    ("area", "title"),
    [("Lancashire", "Lancashire"), ("East", "East division"), ("Burnley", "Burnley")],
)
def test_police_uk_only_says_why_there_is_no_heat_map(policeuk_store, use_store, area, title):
    use_store(policeuk_store)
    at = run(area=area)
    assert [i.value for i in at.info] == [NO_TIMES.replace("for Lancashire", f"for {title}")]
    assert at.get("plotly_chart") == []
    assert at.dataframe == []
    assert at.subheader == []  # one sentence for the area, not an empty section per division
    shown = texts(at)
    assert not [t for t in shown if "nan" in t.lower()]  # e.g. "carries nan% of ASB"
    assert "### ASB incidents by hour and day, May 2023 to April 2024" in shown


def test_demo_data_still_draws_every_heat_map(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = run(period="2025-09")
    assert at.info == []
    assert len(at.get("plotly_chart")) == 4  # force and three divisions
    assert [s.value for s in at.subheader] == [
        "Lancashire",
        "East division",
        "South division",
        "West division",
    ]
    assert not [t for t in texts(at) if "nan" in t.lower()]


class _Baseline:
    """The catalogue with every measure's baseline period replaced."""

    def __init__(self, catalogue, period: Period) -> None:
        self._catalogue, self._period = catalogue, period

    def measure(self, code: str):
        return self._catalogue.measure(code).model_copy(update={"baseline": self._period})

    @property
    def measures(self):
        return _IncidentsBaseline(self._catalogue.measures, self._period)

    def __getattr__(self, name: str):
        return getattr(self._catalogue, name)


class _IncidentsBaseline:
    """The catalogue's measures with the incidents measure's baseline period replaced (what
    Time patterns reads); everything else, scores included, as configured."""

    def __init__(self, measures, period: Period) -> None:
        self._measures, self._period = measures, period

    @property
    def incidents(self):
        return self._measures.incidents.model_copy(update={"baseline": self._period})

    def __getattr__(self, name: str):
        return getattr(self._measures, name)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (None, "October 2024 - September 2025 (month: September 2025)"),
        (Period(start="2023-04", end="2024-03"), "April 2023 - March 2024 (month: March 2024)"),
    ],
    ids=["configured", "changed"],
)
def test_the_plan_period_in_the_caption_comes_from_config(
    demo_sqlite, use_store, monkeypatch, period, expected
):
    use_store(demo_sqlite)
    if period is not None:
        real = reads.catalogue()
        monkeypatch.setattr(reads, "catalogue", lambda: _Baseline(real, period))
    at = run()
    assert [c.value for c in at.caption if "Evidence Base" in c.value] == [
        "Counted from incident records with a time of day. Choose another month in the "
        f"sidebar to move the 12 months; {expected} is the period of the plan's Evidence Base "
        "tables."
    ]
