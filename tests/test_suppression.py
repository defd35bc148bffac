"""Primary and secondary suppression over force > divisions > districts (metrics.suppression),
on tiny hand-built hierarchies, and an exact attacker written here (integer programming over
the published text and the tree, independent of the module) run over 1,000 random tables."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from metrics.suppression import (
    WITHHELD,
    attacker_ranges,
    exposed,
    public_text,
    suppress_hierarchy,
)

NAN = math.nan
FORCE = "F"


def tree(divisions: dict[str, dict[str, object]], columns: tuple[str, ...] = ("n",), extra=None):
    """A count table: force F over the divisions over their districts (and `extra`, a count
    or tuple under the force, when given). A district's counts are a number (one column) or a
    tuple (one per column); totals are sums, NaN left out."""

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
    if extra is not None:
        tops.append(extra if isinstance(extra, tuple) else (extra,))
        rows.append(("u", FORCE, *tops[-1]))
    rows.insert(0, (FORCE, None, *total(tops)))
    return pd.DataFrame(rows, columns=["area", "parent", *columns])


def hidden(mask: pd.DataFrame, column: str = "n") -> set[str]:
    return set(mask.index[mask[column]])


# --- the exact attacker of the tests ---------------------------------------------------------


def attack(text: pd.DataFrame, parents: dict[str, str | None]) -> dict[tuple[str, str], tuple]:
    """What an attacker holding the whole published table (`text`: area x column, as the
    public sees it: a number, "withheld" or blank) and the tree (`parents`) can work out:
    (least, greatest) of every withheld cell, all columns at once ((None, inf) when nothing
    bounds it above). Each sum shown holds: parent = the children that have a figure; withheld
    cells are whole numbers >= 1. One solve per cell, over two copies of the unknowns: the
    cell least in one, greatest in the other (maximising the difference)."""
    cells = [(a, c) for c in text.columns for a in text.index if text.at[a, c] == WITHHELD]
    place = {cell: i for i, cell in enumerate(cells)}
    lines, sums = [], []
    for column in text.columns:
        for parent in {p for p in parents.values() if p is not None}:
            kids = [a for a, p in parents.items() if p == parent and text.at[a, column] != ""]
            if text.at[parent, column] == "" or not kids:
                continue
            line, known = np.zeros(len(cells)), 0
            for area, sign in [(parent, 1), *((k, -1) for k in kids)]:
                shown = text.at[area, column]
                if shown == WITHHELD:
                    line[place[(area, column)]] += sign
                else:
                    known -= sign * int(shown.replace(",", ""))
            if line.any():
                lines.append(line)
                sums.append(known)
    if not cells:
        return {}
    pair = np.kron(np.eye(2), np.array(lines).reshape(len(lines), len(cells)))
    rules = {"integrality": np.ones(2 * len(cells)), "bounds": Bounds(1, np.inf)}
    if lines:
        rules["constraints"] = LinearConstraint(pair, sums * 2, sums * 2)
    found = {}
    for cell, i in place.items():  # a copy where it is least, one where it is greatest
        objective = np.zeros(2 * len(cells))
        objective[[i, len(cells) + i]] = (1, -1)
        solved = milp(objective, **rules)
        assert solved.status in (0, 3, 4), (cell, solved.message)  # 3, 4: unbounded
        ends = solved.x[[i, len(cells) + i]].round() if solved.status == 0 else (None, math.inf)
        found[cell] = tuple(ends)
    return found


def narrow(ranges: dict[tuple[str, str], tuple], threshold: int) -> list[tuple[str, str]]:
    return [cell for cell, (low, high) in ranges.items() if high - (low or 1) < threshold]


def attack_table(frame: pd.DataFrame, threshold: int = 5):
    """Suppress `frame`, publish it, attack what was published; (result, ranges)."""
    result = suppress_hierarchy(frame, threshold=threshold)
    parents = dict(
        zip(
            frame["area"],
            frame["parent"].astype(object).where(frame["parent"].notna(), None),
            strict=True,
        )
    )
    return result, attack(public_text(result), parents)


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


# --- one rule per case -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("divisions", "expected", "primary", "secondary"),
    [
        pytest.param(  # a in D1 = 5 = 1..4 + b: a pair of small figures is not enough; D1 is
            # then pinned by F - D2, D2 by its one district c shown: each gets a partner
            {"D1": {"a": 3, "b": 2}, "D2": {"c": 10, "d": 0}},
            {"a", "b", "D1", "D2", "c"},
            2,
            3,
            id="small-pair-is-too-narrow",
        ),
        pytest.param(  # a + c = 9: a is 1 to 8
            {"D1": {"a": 2, "b": 9, "c": 7, "d": 0}, "D2": {"e": 20, "f": 30}},
            {"a", "c"},
            1,
            1,
            id="smallest-sibling-above-threshold",
        ),
        pytest.param(
            {"D1": {"a": 2, "c": 7, "b": 7}, "D2": {"e": 20}},
            {"a", "b"},
            1,
            1,
            id="tie-broken-by-name",
        ),
        pytest.param(  # b = 5 would leave a + b = 6, a from 1 to 5 (4 wide); c = 6: 1 to 6
            {"D1": {"a": 1, "b": 5, "c": 6}, "D2": {"e": 20}},
            {"a", "c"},
            1,
            1,
            id="above-threshold-not-at-it",
        ),
        pytest.param(  # b = 5 is no use; D1 (6) is pinned by F - D2, so F is withheld too
            {"D1": {"a": 1, "b": 5}, "D2": {"c": 5}},
            {"a", "D1", FORCE},
            1,
            2,
            id="parent-when-no-sibling-is-wide-enough",
        ),
        pytest.param(  # a = D1 = F: all small, all unbounded above
            {"D1": {"a": 3, "b": 0}, "D2": {"c": 0}},
            {"a", "D1", FORCE},
            3,
            0,
            id="only-a-zero-sibling",
        ),
        pytest.param(  # a's sums have nothing shown: D3 (14) from F, then e (6) in D3
            {"D1": {"a": 3, "b": 0}, "D2": {"c": 10, "d": 12}, "D3": {"e": 6, "f": 8}},
            {"a", "D1", "D3", "e"},
            2,
            2,
            id="search-through-withheld-sums",
        ),
        pytest.param(  # D1 = 12 = 1 + 1 + 10: two withheld figures adding up to 2 are 1 each
            {"D1": {"a": 1, "b": 1, "c": 10}, "D2": {"d": 30}},
            {"a", "b", "c"},
            2,
            1,
            id="figures-that-must-each-be-one",
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
    result, ranges = attack_table(frame)
    assert hidden(result.mask) == expected
    assert (result.primary, result.secondary) == (primary, secondary)
    assert narrow(ranges, 5) == []
    assert exposed(frame, result.mask, threshold=5) == []


def test_a_withheld_parent_bounds_its_withheld_children():
    """The issue's example (threshold 5): South's districts 1, 1, 0, 0, unlinked 1, every other
    district 20. Checking each sum on its own withheld South, Chorley, South Ribble and the
    unlinked figure only: 203 - 120 - 80 = 3 = South + unlinked with South >= 2 gave every one
    away. Now West and one of its districts are withheld too, and nothing is narrower than 5."""
    east = {name: 20 for name in ("BwD", "Burnley", "Hyndburn", "Pendle", "RV", "Rossendale")}
    south = {"Chorley": 1, "Preston": 0, "South Ribble": 1, "West Lancs": 0}
    west = {name: 20 for name in ("Blackpool", "Fylde", "Lancaster", "Wyre")}
    frame = tree({"East": east, "South": south, "West": west}, extra=1)
    old_mask = pd.DataFrame(
        {"n": frame["area"].isin(["South", "Chorley", "South Ribble", "u"]).to_numpy()},
        index=frame["area"],
    )
    assert set(exposed(frame, old_mask)) == {
        (a, "n") for a in ("South", "Chorley", "South Ribble", "u")
    }
    found = attacker_ranges(frame, old_mask).set_index("area")
    assert found[["low", "high"]].to_dict("index") == {
        "South": {"low": 2, "high": 2},
        "Chorley": {"low": 1, "high": 1},
        "South Ribble": {"low": 1, "high": 1},
        "u": {"low": 1, "high": 1},
    }
    result, ranges = attack_table(frame)
    assert hidden(result.mask) == {"South", "Chorley", "South Ribble", "u", "West", "Blackpool"}
    assert public_text(result).loc[["F", "East", "Fylde"], "n"].tolist() == ["203", "120", "20"]
    assert narrow(ranges, 5) == []
    assert ranges[("Chorley", "n")] == (1, 20)


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        pytest.param({"a"}, [("a", "n")], id="one-withheld-is-pinned"),
        pytest.param({"a", "b"}, [], id="pair-3-and-9-is-wide"),
        pytest.param(  # D2 = c gives D2, then F - D2 gives D1, then D1 - b gives a
            {"a", "D1", "D2"},
            [("D1", "n"), ("a", "n"), ("D2", "n")],
            id="chain-through-three-sums",
        ),
        pytest.param({"a", "D1", "D2", "c"}, [], id="chain-protected"),
        pytest.param({"b", "c"}, [("b", "n"), ("c", "n")], id="two-sums-each-pinned"),
    ],
)
def test_the_attacker_finds_what_a_mask_gives_away(areas, expected):
    frame = tree({"D1": {"a": 3, "b": 9}, "D2": {"c": 10}})
    mask = pd.DataFrame({"n": frame["area"].isin(areas).to_numpy()}, index=frame["area"])
    assert exposed(frame, mask, threshold=5) == expected


def test_the_attacker_narrows_but_does_not_pin():
    """D1 = 12 = a + b with a = 3, b = 9: each is 1 to 11 (10 wide); with threshold 12 that is
    too narrow, though neither is pinned."""
    frame = tree({"D1": {"a": 3, "b": 9}, "D2": {"c": 10}})
    mask = pd.DataFrame({"n": frame["area"].isin({"a", "b"}).to_numpy()}, index=frame["area"])
    found = attacker_ranges(frame, mask).set_index("area")
    assert found["width"].to_dict() == {"a": 10, "b": 10}
    assert exposed(frame, mask, threshold=10) == []
    assert exposed(frame, mask, threshold=11) == [("a", "n"), ("b", "n")]


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


# --- 1,000 random tables against the attacker -----------------------------------------------

LANCASHIRE = (6, 4, 4)  # districts per division, and an unlinked figure under the force
TABLES, SEED = 1000, 25


def random_table(rng: np.random.Generator) -> pd.DataFrame:
    """A force of Lancashire's shape (two tables in five) or a smaller one (1 to 3 divisions
    of 1 to 4 districts), with or without an unlinked figure; one count column, or two in one
    table of four. Counts: 3% no figure, 77% from 0 to 6, the rest from 7 to 60."""
    shape = LANCASHIRE if rng.random() < 0.4 else rng.integers(1, 5, size=rng.integers(1, 4))
    columns = ("now", "before") if rng.random() < 0.25 else ("now",)

    def counts() -> tuple[float, ...]:
        draws = [rng.random() for _ in columns]
        return tuple(
            NAN if d < 0.03 else float(rng.integers(0, 7) if d < 0.8 else rng.integers(7, 61))
            for d in draws
        )

    divisions, number = {}, 0
    for d, size in enumerate(shape, start=1):
        divisions[f"D{d}"] = {f"d{number + k:02d}": counts() for k in range(int(size))}
        number += int(size)
    extra = counts() if rng.random() < 0.6 else None
    return tree(divisions, columns=columns, extra=extra)


def check_table(frame: pd.DataFrame, threshold: int = 5) -> dict[str, int]:
    """Suppress, publish and attack one table; assert the rules; return what was withheld."""
    result, ranges = attack_table(frame, threshold)
    columns = list(result.mask.columns)
    counts = frame[columns].to_numpy(dtype=float)
    mask = result.mask.to_numpy()
    small = (counts > 0) & (counts < threshold)
    assert narrow(ranges, threshold) == [], frame.to_dict("list")
    truth = frame.set_index("area")
    assert all((low or 1) <= truth.at[a, c] <= high for (a, c), (low, high) in ranges.items())
    assert np.array_equal(result.primary_mask.to_numpy(), small)
    assert not (mask & ~(counts > 0)).any()  # zero and no figure are never withheld
    assert not mask[:, ~small.any(axis=0)].any()  # a column with nothing small: all shown
    assert result.primary + result.secondary == mask.sum() == len(ranges)
    assert np.array_equal(result.values.to_numpy(), np.where(mask, NAN, counts), equal_nan=True)
    return {"cells": counts.size, "primary": result.primary, "secondary": result.secondary}


def test_no_withheld_figure_of_1000_random_tables_can_be_narrowed():
    rng = np.random.default_rng(SEED)
    found = pd.DataFrame([check_table(random_table(rng)) for _ in range(TABLES)])
    assert len(found) == TABLES
    assert found["primary"].sum() > 2000  # mostly small counts: the attacker had work to do


def test_the_same_figures_always_give_the_same_mask():
    rng = np.random.default_rng(SEED + 1)
    for _ in range(20):
        frame = random_table(rng)
        first = suppress_hierarchy(frame).mask
        again = suppress_hierarchy(frame.sample(frac=1, random_state=0)).mask
        assert first.equals(suppress_hierarchy(frame).mask)
        assert again.loc[first.index].equals(first)  # nor does the order of the rows matter
