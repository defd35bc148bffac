"""The records a file's check (pass 1) found valid, kept on disk until they are written.

Pass 2 writes exactly what pass 1 checked, without reading and checking the file again: the
records are pickled batch by batch (one data frame per batch of rows checked) to an anonymous
temporary file (removed when closed, or when the process ends), so a file of any size is
checked and loaded in constant memory.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator

import pandas as pd


class Spool:
    """Batches of records appended in order, read back in the same order (any number of
    times)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="asb-records-")  # noqa: SIM115 - kept open
        self.count = 0

    def add(self, records: pd.DataFrame) -> None:
        """Keep a batch of records (nothing is kept of an empty batch)."""
        if len(records):
            pickle.dump(records, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += len(records)

    def batches(self) -> Iterator[pd.DataFrame]:
        """The batches, in the order they were added."""
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()
