"""The check on commentary before publication (metrics.publictext): one case per rule, each
naming what must be flagged, or that nothing is."""

from __future__ import annotations

import pytest

from config import get_catalogue
from metrics.publictext import ADDRESS, PERSON, SMALL_NUMBER, check, known_names

KNOWN = known_names(get_catalogue())


def found(text: str, threshold: int = 5) -> list[tuple[str, str]]:
    return [(f.kind, f.words) for f in check({"what": text}, threshold=threshold, known=KNOWN)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(  # the example, printed under a table withholding Burnley's CBOs
            "3 Criminal Behaviour Orders were granted in Burnley, 2 of them against the same "
            "family on Colne Road.",
            [(SMALL_NUMBER, "3"), (SMALL_NUMBER, "2"), (ADDRESS, "Colne Road")],
            id="issue-example",
        ),
        pytest.param(
            "PC Smith and Sgt. Jones spoke to residents.",
            [(PERSON, "PC Smith"), (PERSON, "Sgt. Jones")],
            id="officers-by-title",
        ),
        pytest.param("Officer 4123 attended.", [(PERSON, "Officer 4123")], id="collar-number"),
        pytest.param("Mrs Patel thanked the team.", [(PERSON, "Mrs Patel")], id="title-mrs"),
        pytest.param("John Smith reported it.", [(PERSON, "John Smith")], id="first-last"),
        pytest.param("four households were visited", [(SMALL_NUMBER, "four")], id="word"),
        pytest.param("Two were arrested.", [(SMALL_NUMBER, "Two")], id="word-capitalised"),
        pytest.param("one of them moved away", [(SMALL_NUMBER, "one")], id="one-of-them"),
        pytest.param("Letter to BB10 3AB.", [(ADDRESS, "BB10 3AB")], id="postcode"),
        pytest.param("At 14 Manchester Road.", [(ADDRESS, "14 Manchester Road")], id="house"),
        pytest.param("seven closure orders", [], id="word-at-threshold-or-above"),
        pytest.param("5 orders and 12 warnings; 1,234 calls", [], id="digits-at-or-above"),
        pytest.param("0 orders were refused", [], id="zero-discloses-no-one"),
        pytest.param("calls fell 3% and 2 per cent", [], id="percentages"),
        pytest.param("from 1 March to 3rd April 2025", [], id="dates-and-years"),
        pytest.param("patrols at 18:00 and 6pm, 4.5 an hour", [], id="times-and-decimals"),
        pytest.param("Section 59 warnings; Phase 2 of the plan", [], id="labels-not-counts"),
        pytest.param("over 2 weeks in two districts, 3 miles", [], id="time-places-distance"),
        pytest.param("no one was hurt", [], id="no-one"),
        pytest.param(
            "Operation Centurion patrols in Ribble Valley and South Ribble; Community "
            "Protection Notices and Public Spaces Protection Orders; Lancashire Constabulary "
            "on Monday in December",
            [],
            id="known-places-operations-orders-days",
        ),
        pytest.param(
            "ASB calls fell in the town-centre hotspots after the summer peak.", [], id="demo"
        ),
    ],
)
def test_the_check_flags_what_could_identify_or_undo_suppression(text, expected):
    assert found(text) == expected


def test_small_means_below_the_threshold_setting():
    assert found("7 orders", threshold=10) == [(SMALL_NUMBER, "7")]
    assert found("7 orders", threshold=5) == []


def test_each_field_is_named():
    result = check({"what": "2 orders", "actions": "PC Brown to follow up"}, threshold=5)
    assert [f.label for f in result] == [
        'small number: "2" (what)',
        'name of a person: "PC Brown" (actions)',
    ]
