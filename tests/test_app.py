"""Every page runs without an exception and shows what it should (Streamlit AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from config import PROJECT_ROOT
from pages.ui import DEMO_NOTICE


@pytest.fixture
def app(demo_store, use_store):
    use_store(demo_store)
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)


def test_store_page_labels_demo_data_and_shows_the_catalogue(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Data store"
    assert [w.value for w in app.warning] == [DEMO_NOTICE]
    assert "Latest month of data: **October 2026**" in app.caption[0].value
    assert "demonstration data" in app.caption[0].value
    measures, geography = app.dataframe
    assert len(measures.value) == 15
    assert list(geography.value["District"])[:2] == ["Blackburn with Darwen", "Burnley"]
    assert [m.value for m in app.metric][2] == "246,087"


def test_app_refuses_a_store_without_schema(store, use_store):
    use_store(store)
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Run `python manage.py init`" in at.error[0].value
