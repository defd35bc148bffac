"""Every page on a store of real data only (the four police.uk sample months): no exception,
no demonstration notice, and the measures with no data yet say so rather than break."""

from __future__ import annotations

import pytest

from config.access import Role, allowed, page_needs
from tests.conftest import app_test, switch_to
from views.ui import DEMO_NOTICE, NAVIGATION

# Each page by its URL path ("": the Overview; the operations' pages share one file).
PAGES = [(url, title) for pages in NAVIGATION.values() for _, title, _, url in pages]


@pytest.fixture
def real_store(policeuk_sqlite):
    return policeuk_sqlite


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[t for _, t in PAGES])
def test_every_page_runs_on_real_police_uk_data(real_store, use_store, path, title):
    use_store(real_store)
    needs = page_needs(path)
    role = next(r for r in (Role.ANALYST, Role.ADMIN) if allowed({r}, needs))
    at = app_test(account=f"test {role}", role=role)  # real data: sign-in is required
    switch_to(at, path)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert not [e.value for e in at.error if e.value.startswith("Only the")]
    assert DEMO_NOTICE not in [w.value for w in at.warning]
    assert any("Latest month of data: **April 2024**" in c.value for c in at.caption)


def test_operation_page_says_plainly_when_there_is_too_little_data(real_store, use_store):
    use_store(real_store)
    at = app_test()
    switch_to(at, "vulture")
    at.run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert (
        "**? insufficient data** in Lancashire: the baseline year (October 2024 to September "
        "2025) is not complete by April 2024: nothing to judge against yet."
    ) in text
    assert (
        "No figure for the 12 months to April 2024: 4 of 12 months loaded (missing: May to "
        "December 2023), so they are not judged"
    ) in text
    assert "nan" not in text
    captions = " ".join(c.value for c in at.caption)
    assert "Consistently passing the target" not in captions
    at.query_params["measure"] = "public_confidence"  # a survey: none in police.uk files
    at.run()
    assert "No figures for this measure are loaded for Lancashire yet" in at.info[0].value
