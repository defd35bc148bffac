"""The records a file's check (pass 1) found valid, kept on disk until they are written.

Pass 2 writes exactly what pass 1 checked, without reading and checking the file again: the
records are pickled in batches to an anonymous temporary file (removed when closed, or when
the process ends), so a file of any size is checked and loaded in constant memory.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

BATCH = 20_000  # records pickled together


class Spool:
    """Records appended one by one, read back as plain tuples in the same order (any number
    of times)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="asb-records-")  # noqa: SIM115 - kept open
        self._batch: list[Any] = []
        self.count = 0

    def add(self, record: tuple) -> None:
        """Keep a record (a NamedTuple is kept as a plain tuple: much faster to pickle)."""
        self._batch.append(record[:])
        self.count += 1
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def batches(self) -> Iterator[list[Any]]:
        """The records in batches, in the order they were added."""
        self._flush()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()
