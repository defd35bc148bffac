"""Small-number suppression for public outputs.

Counts from 1 up to (but not including) the threshold (default: the SMALL_NUMBER_THRESHOLD
setting's, `config.settings.DEFAULT_SMALL_NUMBER_THRESHOLD`) are not published, so that
nobody can be identified from a small figure. Zero is shown, since it discloses no one.

In the six-monthly public summary the force figure is the sum of its divisions, and each
division's figure is the sum of its districts. Hiding the small figures is not enough there:
they could be worked out from the figures shown. The rule: for every withheld figure, the
range that an exact attacker can derive from everything published - every figure shown, every
sum (parent = sum of children) at once, and the knowledge that a withheld figure is a whole
number of at least 1 (zeros are shown) - must be at least `threshold` wide (greatest minus
least), so never a single value; a range with no upper end is fine. `metrics.attacker` finds
each range exactly, by integer programming (scipy's `milp`).

Secondary suppression is greedy and deterministic (the same figures always give the same
mask, whatever the order of the rows): the small figures are checked deepest area first, then
by name; while one's range is too narrow, one more figure is withheld beside it: a positive
figure shown in one of its sums (a sibling, its parent or a child), the smallest of those above
the threshold (so that little is lost, and the pair cannot both be small), else the largest of
them, by name on ties. When none of its sums has a positive figure shown, the sums of the
withheld figures linked to it are searched the same way, nearest first. The figure just
withheld is checked next (when its own sums pin it, that is why the first was narrow), then
the first again. Withholding more never narrows a range, so a figure found safe stays safe,
and the loop ends: with every figure linked to it withheld, a figure has no upper end. Zeros
and blanks are never withheld.

Each count column is suppressed on its own. That is enough where the columns are independent
(no published figure ties two columns together): in the public summary a change is shown only
where both periods' figures are shown and rates are withheld where the count is, so an
attacker working on the whole published table learns nothing about one column from another.
Every hidden figure reads "withheld", small or not, so the label itself says nothing about its
size. A blank means there is no figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from config.settings import DEFAULT_SMALL_NUMBER_THRESHOLD as DEFAULT_THRESHOLD
from metrics import attacker

AREA = "area"
PARENT = "parent"
FEWER_THAN = "fewer than {threshold}"  # a single small number shown on its own
WITHHELD = "withheld"  # any figure hidden in a table of sums, small or protecting a small one
NO_FIGURE = ""


def suppress(value: float | None, *, threshold: int = DEFAULT_THRESHOLD) -> str:
    """The public text of a count."""
    if value is None or pd.isna(value):
        return NO_FIGURE
    if 0 < value < threshold:
        return FEWER_THAN.format(threshold=threshold)
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Hierarchy:
    """The areas of a validated count table. `counts` is area x count column (floats, NaN for
    no figure); `children` maps each parent to its children sorted by name; `groups` lists the
    parents deepest first, then by name; `depth` is each area's distance from the root."""

    counts: pd.DataFrame
    children: dict[str, tuple[str, ...]]
    groups: tuple[str, ...]
    depth: dict[str, int]


@dataclass(frozen=True)
class Suppressed:
    """The counts of a hierarchy of areas, ready to publish. Every frame is indexed by area (in
    the order given) with one column per count column.

    - `values`: the counts, NaN where withheld (or where there is no figure);
    - `mask`: True where the count is withheld, for either reason;
    - `primary_mask`: True where withheld because it is small (1 to threshold - 1); the rest
      of `mask` is secondary suppression;
    - `primary`, `secondary`: how many cells were withheld for each reason;
    - `threshold`: the threshold used.
    """

    values: pd.DataFrame
    mask: pd.DataFrame
    primary_mask: pd.DataFrame
    primary: int
    secondary: int
    threshold: int


def _check_tree(frame: pd.DataFrame) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Children of each parent and depth of each area; ValueError if it is not one tree."""
    areas = [str(a) for a in frame[AREA]]
    duplicates = sorted({a for a in areas if areas.count(a) > 1})
    if duplicates:
        raise ValueError(f"area {duplicates[0]!r} appears more than once")
    parents = {a: None if pd.isna(p) else str(p) for a, p in zip(areas, frame[PARENT], strict=True)}
    for area, parent in parents.items():
        if parent is not None and parent not in parents:
            raise ValueError(f"area {area!r} has parent {parent!r}, which is not an area")
    roots = [a for a, p in parents.items() if p is None]
    if len(roots) != 1:
        raise ValueError(f"there must be exactly one area with no parent, found {roots}")
    depth: dict[str, int] = {}
    for area in areas:
        path = [area]
        while (up := parents[path[-1]]) is not None and up not in depth:
            if up in path:
                raise ValueError(f"area {area!r} leads to a loop of parents")
            path.append(up)
        base = -1 if up is None else depth[up]
        for step, name in enumerate(reversed(path), start=1):
            depth[name] = base + step
    children: dict[str, tuple[str, ...]] = {}
    for area in sorted(areas):
        parent = parents[area]
        if parent is not None:
            children[parent] = (*children.get(parent, ()), area)
    return children, depth


def _cells(values: dict[str, float], parent: str, kids: tuple[str, ...]) -> list[str]:
    """The cells of a parent's equation (parent = sum of children), leaving out missing counts;
    empty when the parent or all its children have no figure."""
    if math.isnan(values[parent]):
        return []
    shown = [k for k in kids if not math.isnan(values[k])]
    return [parent, *shown] if shown else []


def _check_counts(counts: pd.DataFrame, children: dict[str, tuple[str, ...]]) -> None:
    for column in counts.columns:
        values = counts[column].to_dict()
        for area, value in values.items():
            if value < 0 or value % 1 > 0:  # both False for NaN
                problem = "is negative" if value < 0 else "is not a whole number"
                raise ValueError(f"area {area!r}, column {column!r}: count {value:g} {problem}")
        for parent, kids in children.items():
            cells = _cells(values, parent, kids)
            parts = sum(values[k] for k in cells[1:])
            if cells and values[parent] != parts:
                raise ValueError(
                    f"area {parent!r}, column {column!r}: count {values[parent]:g} is not the "
                    f"sum of its children's counts ({parts:g})"
                )


def hierarchy(frame: pd.DataFrame, *, columns: Sequence[str] | None = None) -> Hierarchy:
    """Validate a count table (columns area, parent and the count `columns`, by default all the
    others) and return its hierarchy; ValueError, naming the area and column, if it is not one
    tree of areas with whole non-negative counts, each parent the sum of its children. Missing
    counts (NaN) are left out of the sums; a parent whose children all have no figure, or with
    no figure itself, has no sum to check."""
    missing = [c for c in (AREA, PARENT) if c not in frame.columns]
    if missing:
        raise ValueError(f"the table has no column {missing[0]!r}")
    if columns is None:
        columns = [c for c in frame.columns if c not in (AREA, PARENT)]
    if not columns:
        raise ValueError("the table has no count columns")
    for column in columns:
        if column not in frame.columns or not pd.api.types.is_numeric_dtype(frame[column]):
            raise ValueError(f"column {column!r} is not a column of numbers in the table")
    children, depth = _check_tree(frame)
    index = pd.Index([str(a) for a in frame[AREA]], name=AREA)
    counts = pd.DataFrame(
        {c: frame[c].to_numpy(dtype=float, na_value=np.nan) for c in columns}, index=index
    )
    _check_counts(counts, children)
    groups = tuple(sorted(children, key=lambda p: (-depth[p], p)))
    return Hierarchy(counts=counts, children=children, groups=groups, depth=depth)


def _equations(values: dict[str, float], tree: Hierarchy) -> list[list[str]]:
    """Every sum of one column with a figure, as [parent, *children] (`_cells`)."""
    found = [_cells(values, parent, tree.children[parent]) for parent in tree.groups]
    return [cells for cells in found if cells]


def _candidates(
    values: dict[str, float], equations: list[list[str]], hidden: set[str], cell: str
) -> list[str]:
    """The positive figures shown in the sums of `cell`; when there are none, those in the sums
    of the withheld figures linked to it through withheld figures, nearest first."""
    reached, frontier = {cell}, {cell}
    while frontier:
        near = [e for e in equations if frontier.intersection(e)]
        shown = sorted({c for e in near for c in e if c not in hidden and values[c] > 0})
        if shown:
            return shown
        frontier = {c for e in near for c in e if c in hidden} - reached
        reached |= frontier
    return []


def _partner(values: dict[str, float], shown: list[str], threshold: int) -> str:
    """The figure to withhold among `shown`: the smallest above the threshold, else the
    largest (by name on ties)."""
    wide = [c for c in shown if values[c] > threshold]
    if wide:
        return min(wide, key=lambda c: (values[c], c))
    return min(shown, key=lambda c: (-values[c], c))


def _secondary(
    values: dict[str, float], tree: Hierarchy, small: set[str], threshold: int
) -> set[str]:
    """`small` and the figures withheld beside them until every withheld figure's range is at
    least `threshold` wide (see the module docstring)."""
    equations = _equations(values, tree)
    pending = sorted(small, key=lambda a: (-tree.depth[a], a))
    hidden, width = set(small), max(threshold, 1)
    while pending:
        cell = pending[0]
        if attacker.wide_enough(attacker.system(values, equations, hidden), cell, width):
            pending.pop(0)
            continue
        shown = _candidates(values, equations, hidden, cell)
        if not shown:  # cannot happen: with every figure linked to it withheld, it is unbounded
            raise RuntimeError(f"no figure left to withhold beside {cell!r}")
        partner = _partner(values, shown, threshold)
        hidden.add(partner)
        pending.insert(0, partner)  # checked next: a partner pinned by its own sums is why
    return hidden


def suppress_hierarchy(
    frame: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Suppressed:
    """Primary and secondary suppression of a count table (see `hierarchy` for its shape), for
    each count column on its own."""
    tree = hierarchy(frame, columns=columns)
    counts = tree.counts
    withheld = {}
    for column in counts.columns:
        values = counts[column].to_dict()
        small = {area for area, value in values.items() if 0 < value < threshold}
        hidden = _secondary(values, tree, small, threshold)
        withheld[column] = [area in hidden for area in counts.index]
    numbers = counts.to_numpy()
    primary, mask = (numbers > 0) & (numbers < threshold), pd.DataFrame(withheld).to_numpy()
    return Suppressed(
        values=counts.where(~mask),
        mask=pd.DataFrame(mask, index=counts.index, columns=counts.columns),
        primary_mask=pd.DataFrame(primary, index=counts.index, columns=counts.columns),
        primary=int(primary.sum()),
        secondary=int((mask & ~primary).sum()),
        threshold=threshold,
    )


def public_text(result: Suppressed) -> pd.DataFrame:
    """The text of each cell as the public sees it: the count, "withheld" (small or not: one
    label, so that it does not tell which), or blank for no figure."""
    text = result.values.map(lambda v: suppress(v, threshold=result.threshold))
    return text.mask(result.mask, WITHHELD)


def attacker_ranges(
    frame: pd.DataFrame, mask: pd.DataFrame, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """What an exact attacker (`metrics.attacker`) can work out of each withheld cell of a
    count table (`hierarchy`) from the figures shown and every sum of its column: one row per
    withheld cell with a figure, columns area, column, low, high (inf: no upper end), width.
    Independent of how the mask was made; each column on its own (no sum links two)."""
    tree = hierarchy(frame, columns=columns)
    rows = []
    for column in tree.counts.columns:
        values = tree.counts[column].to_dict()
        withheld = mask[column].reindex(tree.counts.index, fill_value=False).astype(bool)
        hidden = {a for a, v in values.items() if withheld[a] and not math.isnan(v)}
        for known in attacker.ranges(values, _equations(values, tree), hidden):
            rows.append((known.cell, column, known.low, known.high, known.width))
    return pd.DataFrame(rows, columns=[AREA, "column", "low", "high", "width"])


def exposed(
    frame: pd.DataFrame,
    mask: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[tuple[str, str]]:
    """The withheld cells (area, column) whose range (`attacker_ranges`) is narrower than
    `threshold` (a single value included): what the published table gives away."""
    found = attacker_ranges(frame, mask, columns)
    narrow = found[found["width"] < max(threshold, 1)]
    return list(zip(narrow[AREA], narrow["column"], strict=True))
