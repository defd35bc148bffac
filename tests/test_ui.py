"""Shared page furniture (views/ui.py): a link with an unknown area, month or measure is not
silently replaced; the page says which value it was given, as typed (a markdown code span, so
nothing in it is read as markdown, HTML or a link), and what it shows instead."""

from __future__ import annotations

import pytest

from tests.conftest import open_page
from views.ui import DEMO_NOTICE, code_span, url_notice


@pytest.fixture(autouse=True)
def pages_store(demo_sqlite, use_store):
    use_store(demo_sqlite)


MONTHS = "which is not a month with data in this store (April 2022 to October 2026)"


@pytest.mark.parametrize(
    ("page", "params", "message", "selected"),
    [
        (
            None,
            {"area": "Narnia"},
            "The link asked for area `Narnia`, which is not an area of this dashboard; "
            "showing Lancashire instead.",
            ("Area", "Lancashire"),
        ),
        (
            "centurion",
            {"area": "burnley"},  # areas are matched exactly, as the page links write them
            "The link asked for area `burnley`, which is not an area of this dashboard; "
            "showing Lancashire instead.",
            ("Area", "Lancashire"),
        ),
        (
            None,
            {"period": "2030-01"},
            f"The link asked for month `2030-01`, {MONTHS}; showing October 2026 instead.",
            ("Month", "2026-10"),
        ),
        (
            None,
            {"period": "September 2025"},
            f"The link asked for month `September 2025`, {MONTHS}; showing October 2026 instead.",
            ("Month", "2026-10"),
        ),
        (
            "pages/districts.py",
            {"measure": "asb"},
            "The link asked for measure `asb`, which is not a measure of this dashboard; "
            "showing Reduction in ASB calls instead.",
            ("Measure", "asb_incidents"),
        ),
        (
            None,
            {"area": "<b>N</b> *b* [x](http://e.com) :red[y] $z$ `c` :smile:"},
            "The link asked for area ``<b>N</b> *b* [x](http://e.com) :red[y] $z$ `c` "
            ":smile:``, which is not an area of this dashboard; "
            "showing Lancashire instead.",
            ("Area", "Lancashire"),
        ),
    ],
    ids=["area", "area-case", "period-future", "period-malformed", "measure", "markup"],
)
def test_an_unknown_url_value_is_named_once(page, params, message, selected):
    at = open_page(page, **params)
    assert [w.value for w in at.warning] == [DEMO_NOTICE, message]
    label, value = selected
    assert {s.label: s.value for s in at.selectbox}[label] == value
    (param,) = params
    assert param not in at.query_params  # so the page links do not carry it on
    assert all(link.proto.query_string == "" for link in at.sidebar.get("page_link"))


def test_known_values_and_an_empty_value_say_nothing():
    at = open_page("pages/districts.py", area="Burnley", period="2025-09", measure="asb_incidents")
    assert [w.value for w in at.warning] == [DEMO_NOTICE]
    at = open_page(area="")
    assert [w.value for w in at.warning] == [DEMO_NOTICE]
    assert at.sidebar.selectbox[0].value == "Lancashire"


def test_the_notice_shows_once_and_a_later_choice_works():
    at = open_page(area="Narnia")
    at.sidebar.selectbox[0].select("West").run()
    assert [w.value for w in at.warning] == [DEMO_NOTICE]
    assert "### West · 12 months to October 2026" in [m.value for m in at.markdown]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Narnia", "`Narnia`"),
        ("2030-01", "`2030-01`"),
        ("**x** <b>y</b>", "`**x** <b>y</b>`"),
        ("a`b", "``a`b``"),
        ("a``b`", "``` a``b` ```"),
        ("`x", "`` `x ``"),
        ("line\nbreak\ttab  ", "`line break tab`"),
        ("   ", "`  `"),  # spaces only: a code span of spaces
        ("x" * 70, "`" + "x" * 59 + "…`"),
        ("Préston ‘quoted’", "`Préston ‘quoted’`"),
    ],
)
def test_code_span_shows_a_value_as_typed(value, expected):
    assert code_span(value) == expected


def test_url_notice_wording():
    assert url_notice("Narnia", "area", "is not an area of this dashboard", "Lancashire") == (
        "The link asked for area `Narnia`, which is not an area of this dashboard; "
        "showing Lancashire instead."
    )
