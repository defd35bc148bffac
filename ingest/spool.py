"""The records a file's check (pass 1) found valid, kept on disk until they are written.

Pass 2 writes exactly what pass 1 checked, without reading and checking the file again: the
records are pickled batch by batch (one data frame per batch of rows checked) to an anonymous
temporary file (removed when closed, or when the process ends), so a file of any size is
checked and loaded in constant memory.

Copies of files on disk (an upload saved to be read, a police.uk archive's members) live in
the dashboard's own temporary folder (`temp_root`), each in a folder of its own, removed when
its load ends, is refused or is abandoned; `sweep` removes what a session that ended without
cleaning up left there (a server stopped hard, a session never collected), once it is older
than STALE_COPY_AGE.

A full temporary disk (ENOSPC, "No space left on device") is not a problem of the file: it is
named as such (`is_disk_full`, `temp_full_message`) wherever a copy or the checked
records are written, and nothing is loaded.
"""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd

# A copy left this long in the dashboard's temporary folder belongs to no live session: a
# check, preview and confirm takes minutes, and a session left open a working day is long
# gone from the server's memory.
STALE_COPY_AGE = timedelta(hours=12)
TEMP_FOLDER = "asb-dashboard"


def is_disk_full(exc: BaseException) -> bool:
    """True for the error a write gives when the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def temp_full_message(doing: str = "checking it") -> str:
    """What a load says of a file when the temporary folder filled up while `doing`."""
    return (
        f"the server's temporary folder is full (no space left on its disk while "
        f"{doing}): nothing was loaded. Free space in the temporary folder, or ask whoever "
        "runs the server for a larger one, then load the file again"
    )


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


def temp_root() -> Path:
    """The dashboard's own temporary folder (one per operating-system user, readable by that
    user only), made when first asked for."""
    user = getattr(os, "getuid", lambda: "user")()
    root = Path(tempfile.gettempdir()) / f"{TEMP_FOLDER}-{user}"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def new_folder(prefix: str) -> Path:
    """A new, empty folder for one copy, in `temp_root`."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=temp_root()))


def sweep(max_age: timedelta = STALE_COPY_AGE, *, now: float | None = None) -> list[Path]:
    """Remove what `temp_root` holds that was last changed more than `max_age` ago; returns
    what was removed."""
    now = time.time() if now is None else now
    removed = []
    for item in temp_root().iterdir():
        try:
            if now - item.lstat().st_mtime <= max_age.total_seconds():
                continue
        except FileNotFoundError:
            continue  # removed meanwhile by its own session
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)
        removed.append(item)
    return removed
