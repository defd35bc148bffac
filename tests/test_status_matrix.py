"""The one district x measure status matrix (`present.measure_table.status_matrix`) the
Districts page and the board pack's league both draw: tiny hand-built cases, one per rule
(the page's and the pack's matrices agreeing on the demonstration data: test_boardpack.py)."""

from __future__ import annotations

from types import SimpleNamespace

from present import measure_table


def cell(score, code: str) -> str:
    return f"{code}:{score.status}"


def matrix(scores, measures=("a", "b"), areas=("X", "Y"), missing="none"):
    return measure_table.status_matrix(
        [(code, area, SimpleNamespace(status=s)) for code, area, s in scores],
        measures=list(measures),
        areas=list(areas),
        cell=cell,
        missing=missing,
    )


def test_rows_are_the_measures_and_columns_the_areas_in_the_order_given():
    found = matrix([("a", "Y", "on track"), ("b", "X", "missed")], measures=("b", "a"))
    assert list(found.index) == ["b", "a"] and list(found.columns) == ["X", "Y"]
    assert found.loc["a", "Y"] == "a:on track" and found.loc["b", "X"] == "b:missed"


def test_an_area_without_a_score_of_a_measure_reads_the_missing_words():
    found = matrix([("a", "X", "on track")], missing="no figures loaded")
    assert found.loc["a", "Y"] == "no figures loaded"
    assert (found.loc["b"] == "no figures loaded").all()  # a measure with no score anywhere


def test_scores_of_areas_not_asked_for_are_left_out():
    found = matrix([("a", "Z", "missed"), ("a", "X", "at risk")], areas=("X",))
    assert list(found.columns) == ["X"] and found.loc["a", "X"] == "a:at risk"


def test_no_measures_or_no_areas_give_an_empty_matrix_with_the_other_side_kept():
    assert matrix([], measures=()).empty and list(matrix([], measures=()).columns) == ["X", "Y"]
    assert list(matrix([], areas=()).index) == ["a", "b"]
