"""Small-number suppression for public outputs.

Counts from 1 up to (but not including) the threshold (default 5) are not published, so that
nobody can be identified from a small figure. Zero is shown, since it discloses no one.

In the six-monthly public summary the force figure is the sum of its divisions, and each
division's figure is the sum of its districts. Hiding one small figure is not enough there: it
could be worked out by taking the figures shown away from the total. So, in any such sum with
exactly one hidden figure, a second figure is hidden as well: the smallest other district (or
division), or else the total. The same is done where the hidden figures of a sum must each be
1 (two hidden figures adding up to 2). This is repeated until no hidden figure can be worked
out from the ones shown. Every hidden figure reads "withheld", small or not, so the label
itself says nothing about its size. A blank means there is no figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 5
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


def suppress_series(values: pd.Series, *, threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    return values.map(lambda v: suppress(v, threshold=threshold))


@dataclass(frozen=True)
class Hierarchy:
    """The areas of a validated count table. `counts` is area x count column (floats, NaN for
    no figure); `children` maps each parent to its children sorted by name; `groups` lists the
    parents deepest first, then by name (the order secondary suppression visits them)."""

    counts: pd.DataFrame
    children: dict[str, tuple[str, ...]]
    groups: tuple[str, ...]


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
        if parents[area] is not None:
            children[parents[area]] = (*children.get(parents[area], ()), area)
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
    return Hierarchy(counts=counts, children=children, groups=groups)


def _partner(values: dict[str, float], cells: list[str], hidden: set[str]) -> str:
    """The cell to withhold with the one hidden cell of an equation: the smallest positive child
    (by name on ties), else the parent, else the first zero child by name."""
    parent, kids = cells[0], [k for k in cells[1:] if k not in hidden]
    positive = sorted((values[k], k) for k in kids if values[k] > 0)
    if positive:
        return positive[0][1]
    if parent not in hidden:
        return parent
    return min(kids)


def _exposed(values: dict[str, float], cells: list[str], hidden: set[str]) -> bool:
    """Whether an equation gives a hidden cell away: it has exactly one, or its parent is shown
    and its hidden children must each be 1 (hidden counts are at least 1, since zeros are
    shown, so k hidden children adding up to k are all 1)."""
    if not cells:
        return False
    hidden_cells = [c for c in cells if c in hidden]
    if len(hidden_cells) == 1:
        return True
    parent, kids = cells[0], cells[1:]
    hidden_kids = [k for k in kids if k in hidden]
    if parent in hidden or not hidden_kids:
        return False
    rest = values[parent] - sum(values[k] for k in kids if k not in hidden)
    return rest == len(hidden_kids)


def _secondary(values: dict[str, float], tree: Hierarchy, hidden: set[str]) -> set[str]:
    """Add cells to `hidden` until no equation gives a hidden cell away (`_exposed`)."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for parent in tree.groups:
            cells = _cells(values, parent, tree.children[parent])
            if _exposed(values, cells, hidden) and len(hidden) < len(values):
                hidden.add(_partner(values, cells, hidden))
                changed = True
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
        hidden = _secondary(values, tree, small)
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


def recoverable(
    frame: pd.DataFrame, mask: pd.DataFrame, columns: Sequence[str]
) -> list[tuple[str, str]]:
    """The withheld cells (area, column) that the shown counts and the sums parent = sum of
    children determine exactly. Linear algebra, independent of how the mask was made: with the
    withheld cells of a column as unknowns u, the sums give A u = b, and cell i is determined
    when the unit vector e_i lies in the row space of A (adding it does not raise the rank)."""
    tree = hierarchy(frame, columns=columns)
    found: list[tuple[str, str]] = []
    for column in columns:
        values = tree.counts[column].to_dict()
        hidden = mask[column].reindex(tree.counts.index, fill_value=False).astype(bool).to_dict()
        unknowns = [a for a in values if hidden[a] and not math.isnan(values[a])]
        if not unknowns:
            continue
        place = {a: i for i, a in enumerate(unknowns)}
        rows = []
        for parent, kids in tree.children.items():
            cells = _cells(values, parent, kids)
            row = np.zeros(len(unknowns))
            for cell in cells:
                if cell in place:
                    row[place[cell]] = 1.0 if cell == parent else -1.0
            if row.any():
                rows.append(row)
        if not rows:
            continue
        system, units = np.vstack(rows), np.eye(len(unknowns))
        rank = np.linalg.matrix_rank(system)
        for area, i in place.items():
            if np.linalg.matrix_rank(np.vstack([system, units[i]])) == rank:
                found.append((area, column))
    return found
