"""Finding values that repeat across a file of any size, in memory that does not grow with it.

Each batch's values are hashed (64 bits, vectorised) and their (hash, row) pairs appended to
one of `PARTITIONS` temporary files chosen by the hash. Once every row has been seen, each
partition is read and sorted on its own: values that repeat share a hash, so they share a
partition. Rows whose hash repeats are then confirmed by their text (read again through
`confirm`), so two different values that happen to share a hash are never called duplicates.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

PARTITIONS = 16  # at ten million rows, a partition is about 10 MB while it is sorted
PAIR = np.dtype([("hash", "<u8"), ("row", "<i8")])


class DuplicateFinder:
    """Feed batches of (row numbers, values); `repeats` gives (row, first row) for every row
    whose value appeared on an earlier row."""

    def __init__(self) -> None:
        self._files = [
            tempfile.TemporaryFile(prefix="asb-keys-")  # noqa: SIM115 - closed in close()
            for _ in range(PARTITIONS)
        ]

    def add(self, rows: np.ndarray, values: pd.Series) -> None:
        """Remember `values` (text) seen on `rows` (increasing row numbers)."""
        if len(rows) == 0:
            return
        pairs = np.empty(len(rows), dtype=PAIR)
        pairs["hash"] = pd.util.hash_array(values.to_numpy(dtype=object), categorize=False)
        pairs["row"] = rows
        part = pairs["hash"] % PARTITIONS
        for p in np.unique(part):
            self._files[p].write(pairs[part == p].tobytes())

    def _candidates(self) -> Iterator[np.ndarray]:
        """Per partition, the rows whose hash appears more than once, grouped by hash (in
        order of row within each group)."""
        for stream in self._files:
            stream.seek(0)
            pairs = np.frombuffer(stream.read(), dtype=PAIR)
            if len(pairs) < 2:
                continue
            order = np.lexsort((pairs["row"], pairs["hash"]))
            ordered = pairs[order]
            same = ordered["hash"][1:] == ordered["hash"][:-1]
            if not same.any():
                continue
            keep = np.zeros(len(ordered), dtype=bool)
            keep[1:] |= same
            keep[:-1] |= same
            yield ordered[keep]

    def repeats(self, confirm: Callable[[set[int]], dict[int, str]]) -> list[tuple[int, int]]:
        """(row, earlier row with the same value) for each repeated value's later rows, in
        row order. `confirm(rows)` returns the text of the given rows (read from the file
        again), asked only when some hash repeats."""
        groups = list(self._candidates())
        if not groups:
            return []
        candidates = np.concatenate(groups)
        texts = confirm({int(r) for r in candidates["row"]})
        found = []
        first: dict[str, int] = {}
        previous = None
        for hashed, row in zip(
            candidates["hash"].tolist(), candidates["row"].tolist(), strict=True
        ):
            if hashed != previous:  # a new hash: values are compared within it only
                first, previous = {}, hashed
            earlier = first.setdefault(texts[row], row)
            if earlier != row:
                found.append((row, earlier))
        return sorted(found)

    def close(self) -> None:
        for stream in self._files:
            stream.close()
