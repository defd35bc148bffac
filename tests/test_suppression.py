"""Primary and secondary suppression over force > divisions > districts (metrics.suppression),
on tiny hand-built hierarchies, plus a property test over random ones like the real force."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.suppression import (
    WITHHELD,
    _partner,
    public_text,
    recoverable,
    suppress_hierarchy,
)

NAN = math.nan
FORCE = "F"


def tree(divisions: dict[str, dict[str, object]], columns: tuple[str, ...] = ("n",)):
    """A count table: force F over the divisions over their districts. A district's counts are
    a number (one column) or a tuple (one per column); totals are sums, NaN left out."""

    def total(parts: list[tuple[float, ...]]) -> tuple[float, ...]:
        sums = []
        for column in zip(*parts, strict=True):
            shown = [n for n in column if not math.isnan(n)]
            sums.append(math.fsum(shown) if shown else NAN)
        return tuple(sums)

    rows, tops = [], []
    for division, districts in divisions.items():
        counts = [c if isinstance(c, tuple) else (c,) for c in districts.values()]
        tops.append(total(counts))
        rows.append((division, FORCE, *tops[-1]))
        rows.extend((d, division, *c) for d, c in zip(districts, counts, strict=True))
    rows.insert(0, (FORCE, None, *total(tops)))
    return pd.DataFrame(rows, columns=["area", "parent", *columns])


def hidden(mask: pd.DataFrame, column: str = "n") -> set[str]:
    return set(mask.index[mask[column]])


@pytest.mark.parametrize(
    ("divisions", "expected", "primary", "secondary"),
    [
        pytest.param(  # a + b = D1 with both small: nothing can be worked out
            {"D1": {"a": 3, "b": 2}, "D2": {"c": 10, "d": 0}},
            {"a", "b"},
            2,
            0,
            id="primary-only",
        ),
        pytest.param(
            {"D1": {"a": 2, "b": 9, "c": 7, "d": 0}, "D2": {"e": 20, "f": 30}},
            {"a", "c"},
            1,
            1,
            id="smallest-positive-sibling",
        ),
        pytest.param(
            {"D1": {"a": 2, "c": 7, "b": 7}, "D2": {"e": 20}},
            {"a", "b"},
            1,
            1,
            id="tie-broken-by-name",
        ),
        pytest.param(  # with only a zero beside it, D1 = a is small itself, and so is F = D1
            {"D1": {"a": 3, "b": 0}, "D2": {"c": 0}},
            {"a", "D1", FORCE},
            3,
            0,
            id="only-a-zero-sibling",
        ),
        pytest.param(  # D1 = a is small; D3 (14 < 22) withheld in F; then e (6 < 8) in D3
            {"D1": {"a": 3, "b": 0}, "D2": {"c": 10, "d": 12}, "D3": {"e": 6, "f": 8}},
            {"a", "D1", "D3", "e"},
            2,
            2,
            id="cascade-through-force",
        ),
        pytest.param(  # D1 (4) is small itself; F exposes it, so D2 (11 < 20) and then c
            {"D1": {"a": 2, "b": 2}, "D2": {"c": 5, "d": 6}, "D3": {"e": 20}},
            {"a", "b", "D1", "D2", "c"},
            3,
            2,
            id="small-division",
        ),
        pytest.param(
            {"D1": {"a": 10, "b": 20}, "D2": {"c": 0, "d": 5}},
            set(),
            0,
            0,
            id="nothing-small",
        ),
    ],
)
def test_suppression_masks_exactly(divisions, expected, primary, secondary):
    frame = tree(divisions)
    result = suppress_hierarchy(frame)
    assert hidden(result.mask) == expected
    assert (result.primary, result.secondary) == (primary, secondary)
    assert recoverable(frame, result.mask, ["n"]) == []


@pytest.mark.parametrize(
    ("values", "hidden", "expected"),
    [
        pytest.param({"P": 20, "x": 9, "y": 0, "z": 9}, {"P"}, "x", id="smallest-positive-by-name"),
        pytest.param({"P": 20, "x": 20, "y": 0, "z": 0}, {"x"}, "P", id="then-the-parent"),
        pytest.param({"P": 0, "x": 0, "y": 0, "z": 0}, {"P"}, "x", id="then-a-zero-child"),
    ],
)
def test_partner_order(values, hidden, expected):
    # With consistent sums the fallbacks never decide (a parent beside only zeros equals its
    # hidden child, so is small itself); they are kept so that the rule is total.
    assert _partner(values, ["P", "x", "y", "z"], hidden) == expected


def test_zero_is_shown_and_missing_is_no_figure():
    frame = tree({"D1": {"a": 0, "b": 7, "c": NAN}, "D2": {"d": 3, "e": NAN, "f": 8}})
    result = suppress_hierarchy(frame)
    assert hidden(result.mask) == {"d", "f"}
    assert public_text(result)["n"].to_dict() == {
        FORCE: "18",
        "D1": "7",
        "D2": "11",
        "a": "0",
        "b": "7",
        "c": "",
        "d": "withheld",  # small or not, one label: it does not tell which
        "e": "",
        "f": "withheld",
    }
    assert result.values["n"].to_dict() == pytest.approx(
        {FORCE: 18, "D1": 7, "D2": 11, "a": 0, "b": 7, "c": NAN, "d": NAN, "e": NAN, "f": NAN},
        nan_ok=True,
    )


def test_each_count_column_is_suppressed_on_its_own():
    frame = tree(
        {"D1": {"a": (2, 10), "b": (9, 0), "c": (7, 3)}, "D2": {"d": (20, 1), "e": (30, 12)}},
        columns=("now", "before"),
    )
    result = suppress_hierarchy(frame, threshold=5)
    assert hidden(result.mask, "now") == {"a", "c"}
    assert hidden(result.mask, "before") == {"a", "c", "d", "e"}
    assert public_text(result).loc["c"].to_dict() == {"now": WITHHELD, "before": WITHHELD}
    assert (result.primary, result.secondary) == (3, 3)


def test_threshold_and_wording():
    frame = tree({"D1": {"a": 7, "b": 12}, "D2": {"c": 40}})
    result = suppress_hierarchy(frame, threshold=10)
    assert public_text(result)["n"].to_dict() == {
        FORCE: "59",
        "D1": "19",
        "D2": "40",
        "a": WITHHELD,
        "b": WITHHELD,
        "c": "40",
    }


def pinned(frame: pd.DataFrame, mask: pd.DataFrame, columns) -> list[tuple[str, str]]:
    """Sums with a shown total whose withheld children must each be 1 (each withheld count is
    at least 1, since zeros are shown): (total's area, column). Independent of the module."""
    found = []
    for column in columns:
        values = frame.set_index("area")[column]
        hidden = mask[column]
        for parent, kids in frame.groupby("parent")["area"]:
            if hidden[parent] or math.isnan(values[parent]):
                continue
            kids = [k for k in kids if not math.isnan(values[k])]
            withheld = [k for k in kids if hidden[k]]
            rest = values[parent] - sum(values[k] for k in kids if not hidden[k])
            if withheld and rest == len(withheld):
                found.append((parent, column))
    return found


def test_withheld_figures_that_must_each_be_one_are_protected_too():
    """D1 = 12 = 1 + 1 + 10: the two 1s pass the subtraction check (two unknowns, one sum), but
    two withheld counts of at least 1 adding up to 2 are both 1. So the 10 is withheld too."""
    frame = tree({"D1": {"a": 1, "b": 1, "c": 10}, "D2": {"d": 30}})
    naive_mask = naive(frame, {"a", "b"})
    assert recoverable(frame, naive_mask, ["n"]) == []
    assert pinned(frame, naive_mask, ["n"]) == [("D1", "n")]
    result = suppress_hierarchy(frame)
    assert hidden(result.mask) == {"a", "b", "c"}
    assert pinned(frame, result.mask, ["n"]) == []


def naive(frame: pd.DataFrame, areas: set[str]) -> pd.DataFrame:
    return pd.DataFrame({"n": frame["area"].isin(areas).to_numpy()}, index=frame["area"])


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        pytest.param({"a"}, [("a", "n")], id="primary-only-is-recoverable"),
        pytest.param({"a", "b"}, [], id="pair-is-safe"),
        pytest.param(  # D2 = c gives D2, then F - D2 gives D1, then D1 - b gives a
            {"a", "D1", "D2"},
            [("D1", "n"), ("a", "n"), ("D2", "n")],
            id="chain-through-three-sums",
        ),
        pytest.param({"a", "D1", "D2", "c"}, [], id="chain-protected"),
    ],
)
def test_checker_finds_recoverable_cells(areas, expected):
    frame = tree({"D1": {"a": 3, "b": 9}, "D2": {"c": 10}})
    assert recoverable(frame, naive(frame, areas), ["n"]) == expected


def rows(*items: tuple[str, str | None, float]) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["area", "parent", "n"])


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        pytest.param(
            rows(("F", None, 5), ("a", "D9", 5)), "area 'a' has parent 'D9'", id="unknown-parent"
        ),
        pytest.param(
            rows(("F", None, 5), ("G", None, 5)), "exactly one area with no parent", id="two-roots"
        ),
        pytest.param(
            rows(("F", "a", 5), ("a", "F", 5)), "exactly one area with no parent", id="no-root"
        ),
        pytest.param(
            rows(("F", None, 5), ("a", "b", 5), ("b", "a", 5)), "loop of parents", id="loop"
        ),
        pytest.param(
            rows(("F", None, 5), ("a", "F", -1), ("b", "F", 6)),
            "area 'a', column 'n': count -1 is negative",
            id="negative",
        ),
        pytest.param(
            rows(("F", None, 5), ("a", "F", 2.5), ("b", "F", 2.5)),
            "area 'a', column 'n': count 2.5 is not a whole number",
            id="not-whole",
        ),
        pytest.param(
            rows(("F", None, 12), ("D1", "F", 5), ("D2", "F", 7), ("a", "D1", 6)),
            "area 'D1', column 'n': count 5 is not the sum of its children's counts (6)",
            id="sum",
        ),
        pytest.param(
            rows(("F", None, 5), ("F", None, 5)), "area 'F' appears more than once", id="twice"
        ),
        pytest.param(
            pd.DataFrame({"area": ["F"], "n": [1]}), "no column 'parent'", id="no-parent-column"
        ),
        pytest.param(
            rows(("F", None, 5)).assign(n=["five"]), "column 'n' is not a column of numbers"
        ),
    ],
)
def test_bad_input_is_refused(frame, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        suppress_hierarchy(frame)


SIZES = (4, 5, 5)  # districts per division, as in Lancashire
COLUMNS = ("now", "before")


def count(kind: int, small: int, large: int) -> float:
    """One draw in ten is no figure, four a count of 0 to 4, the rest 0 to 30."""
    return NAN if kind == 0 else small if kind < 5 else large


COUNT = st.builds(count, st.integers(0, 9), st.integers(0, 4), st.integers(0, 30))


@st.composite
def forces(draw) -> pd.DataFrame:
    sizes = draw(st.one_of(st.just(SIZES), st.tuples(*[st.integers(1, 6)] * 3)))
    divisions, number = {}, 0
    for d, size in enumerate(sizes, start=1):
        districts = {}
        for _ in range(size):
            number += 1
            districts[f"d{number:02d}"] = (draw(COUNT), draw(COUNT))
        divisions[f"D{d}"] = districts
    return tree(divisions, columns=COLUMNS)


@settings(max_examples=200, deadline=None)
@given(forces())
def test_nothing_withheld_can_be_worked_out(frame):
    result = suppress_hierarchy(frame)
    counts = frame[list(COLUMNS)].to_numpy(dtype=float)
    mask, primary = result.mask.to_numpy(), result.primary_mask.to_numpy()
    small = (counts > 0) & (counts < 5)
    assert recoverable(frame, result.mask, COLUMNS) == []
    assert pinned(frame, result.mask, COLUMNS) == []
    assert np.array_equal(primary, small)
    assert not (small & ~mask).any()  # every count 1..4 is withheld
    assert not (mask & ~(counts > 0)).any()  # zero and no figure are never withheld
    assert not mask[:, ~small.any(axis=0)].any()  # a column with nothing small: all shown
    assert result.primary + result.secondary == mask.sum()
    assert np.array_equal(result.values.to_numpy(), np.where(mask, NAN, counts), equal_nan=True)
    assert list(result.mask.index) == list(frame["area"])
