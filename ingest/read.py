"""Reading an uploaded file as a stream of rows, whatever its format: CSV in UTF-8 (with or
without a byte-order mark) or Windows-1252, or an Excel `.xlsx` workbook (its first sheet).

Nothing here knows what the columns mean; it only finds problems with the shape of rows (too
few or too many values) and reports them as `Problem`s naming file, row and column (the file
as a whole is examined first, by `ingest.examine`). Row numbers are those a
spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import collections
import csv
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ingest import csv_arrow
from ingest.examine import FILE, HEADER, FileFacts, FileRefused, Problem, examine
from ingest.xlsx_guard import CellCounter, check_workbook


@dataclass(frozen=True)
class Rows:
    """A batch of rows after the header: their row numbers, and their values in the order of
    the header, as pyarrow read them (a frame of text) or as the csv module or a spreadsheet
    gives them (lists of cells: text, numbers, dates, None); `problems`: rows left out for
    their shape. `frame` and `lists` give either form, converting only when asked."""

    numbers: np.ndarray
    values: pd.DataFrame | list[list[Any]]
    problems: tuple[Problem, ...] = ()

    def frame(self, names: list[str]) -> pd.DataFrame:
        """The values as a frame with the columns `names` (cells kept as they are)."""
        if isinstance(self.values, pd.DataFrame):
            return self.values.set_axis(names, axis=1)
        return pd.DataFrame(self.values, columns=names, dtype=object)

    def lists(self) -> list[list[Any]] | Iterator[tuple[Any, ...]]:
        """The values row by row (each column of a frame turned to Python values at once:
        iterating pyarrow text value by value is slow)."""
        if not isinstance(self.values, pd.DataFrame):
            return self.values
        columns = (self.values[c].to_numpy(dtype=object).tolist() for c in self.values.columns)
        return zip(*columns, strict=True)


def _blank(frame: pd.DataFrame) -> np.ndarray:
    """Which rows of a frame of text have no value at all."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        blank &= (frame[column].str.len() == 0).to_numpy()
    return blank


class Table:
    """The header and rows of one examined file, read lazily (call `rows()` once per pass)."""

    def __init__(self, path: Path, name: str, facts: FileFacts) -> None:
        self.path = path
        self.name = name
        self.facts = facts
        self._stream: Any = None
        self._xlsx_rows_read = (0, 1)
        self.header = self._read_header()

    def fraction_read(self) -> float:
        """How far through the file the current pass is, 0 to 1 (for progress bars)."""
        if self.facts.format == "xlsx":
            done, total = self._xlsx_rows_read
            return min(done / max(total, 1), 1.0)
        try:
            return min(self._stream.tell() / max(self.facts.size, 1), 1.0)
        except (AttributeError, ValueError):
            return 0.0

    def _read_header(self) -> list[str]:
        for _, values in self._raw_rows():
            return [str(v).strip() if v is not None else "" for v in values]
        raise FileRefused(
            [Problem(self.name, 1, HEADER, "the file is empty: it has no header row")]
        )

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) for every row after the header. Blank rows are skipped."""
        rows = self._raw_rows()
        next(rows, None)  # the header
        if self.facts.format == "csv":  # every value is text: a blank row has none
            for number, values in rows:
                if any(values):
                    yield number, values
            return
        for number, values in rows:
            if any(v is not None and v != "" for v in values):
                yield number, values

    def batches(self, size: int) -> Iterator[Rows]:
        """The rows after the header, up to `size` at a time, blank rows left out: the same
        rows as `rows()`. A CSV without quote marks is read by pyarrow (`ingest.csv_arrow`)
        until a row it cannot read, the rest by the csv module `size` rows at a time."""
        if self.facts.format == "xlsx":
            rows = self.rows()
            while chunk := list(itertools.islice(rows, size)):
                yield self._shaped([n for n, _ in chunk], [v for _, v in chunk])
            return
        done = 0
        if not self.facts.quoted:
            try:
                for frame in csv_arrow.frames(
                    self.path,
                    encoding=self.facts.encoding,
                    width=len(self.header),
                    size=size,
                    opened=self._reading,
                ):
                    numbers = np.arange(done + 2, done + 2 + len(frame))
                    done += len(frame)
                    kept = ~_blank(frame)
                    if kept.any():
                        yield Rows(numbers[kept], frame[kept].reset_index(drop=True))
                return
            except csv_arrow.Stopped:
                pass  # the csv module reads on from the row pyarrow could not read
        yield from self._csv_batches(size, done)

    def _csv_batches(self, size: int, skip: int) -> Iterator[Rows]:
        """The rows after the header and after `skip` rows, read by the csv module."""
        with self._csv_reader() as reader:
            first = 2 + skip
            try:
                next(reader, None)  # the header
                collections.deque(itertools.islice(reader, skip), maxlen=0)
                while rows := list(itertools.islice(reader, size)):
                    numbers = list(range(first, first + len(rows)))
                    first += len(rows)
                    yield self._shaped(numbers, rows)
            except csv.Error:
                for _ in self._raw_rows():  # read again row by row: it names the row
                    pass
                raise

    def _shaped(self, numbers: list[int], rows: list[list[Any]]) -> Rows:
        """Rows of the header's width, blank rows left out: a spreadsheet row is cut or
        filled with empty cells (a row ends at its last cell); a CSV row of another width is
        a problem."""
        width = len(self.header)
        if (
            self.facts.format == "csv"
            and all(map(any, rows))
            and list(map(len, rows)).count(width) == len(rows)
        ):  # the usual batch: no blank row, every row of the header's width
            return Rows(np.array(numbers, dtype=np.int64), rows)
        kept_numbers, kept, problems = [], [], []
        for number, values in zip(numbers, rows, strict=True):
            if not any(v is not None and v != "" for v in values):
                continue
            if len(values) != width and self.facts.format == "csv":
                column = self.header[min(len(values), width - 1)]
                problems.append(
                    Problem(
                        self.name,
                        number,
                        column,
                        f"the row has {len(values)} values but the header has {width}"
                        + (" (a truncated line?)" if len(values) < width else ""),
                    )
                )
                continue
            kept_numbers.append(number)
            kept.append([*values[:width], *([None] * (width - len(values)))])
        return Rows(np.array(kept_numbers, dtype=np.int64), kept, tuple(problems))

    def _reading(self, stream: Any) -> None:
        self._stream = stream

    @contextmanager
    def _csv_reader(self) -> Iterator[Any]:
        """A strict csv reader over the file, whose position `fraction_read` reports."""
        with self.path.open(encoding=self.facts.encoding, newline="") as text:
            self._stream = text.buffer
            yield csv.reader(text, strict=True)

    def _raw_rows(self) -> Iterator[tuple[int, list[Any]]]:
        if self.facts.format == "xlsx":
            yield from self._xlsx_rows()
            return
        with self._csv_reader() as reader:
            number = 0
            try:
                for values in reader:
                    number += 1
                    yield number, values
            except csv.Error as exc:
                raise FileRefused(
                    [
                        Problem(
                            self.name,
                            number + 1,
                            FILE,
                            f"the CSV cannot be read from here on ({exc}): a broken or "
                            "truncated line?",
                        )
                    ]
                ) from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Any]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise FileRefused(
                [Problem(self.name, 1, FILE, f"not a readable Excel .xlsx workbook ({exc})")]
            ) from None
        try:
            sheet = workbook.worksheets[0]
            total = sheet.max_row or 1
            cells = CellCounter(self.name, sheet.max_row, sheet.max_column)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells.add(values)
                self._xlsx_rows_read = (number, total)
                yield number, list(values)
        finally:
            workbook.close()


def open_table(path: Path, name: str | None = None) -> Table:
    """Examine `path` and open it for reading. Raises FileRefused if it cannot be read."""
    name = name or path.name
    facts = examine(path, name)
    if facts.format == "xlsx":
        check_workbook(path, name)  # before openpyxl unpacks anything (`ingest.xlsx_guard`)
    return Table(path, name, facts)


def delimiter_hint(header: list[str]) -> str:
    """A hint when a one-column header looks like values separated by something else."""
    if len(header) == 1:
        for mark, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if mark in header[0]:
                return (
                    f" The values are separated by {label}, not commas: "
                    "save the file as comma-separated CSV."
                )
    return ""
