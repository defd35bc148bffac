"""Reading an uploaded file as a stream of rows, whatever its format: CSV in UTF-8 (with or
without a byte-order mark) or Windows-1252, or an Excel `.xlsx` workbook (its first sheet).

Nothing here knows what the columns mean; it only finds problems with the file as a whole
(empty, binary, UTF-16, undecodable) and with the shape of rows (too few or too many values),
and reports them as `Problem`s naming file, row and column. Row numbers are those a
spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHUNK_BYTES = 1 << 20
SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
FILE = "(file)"  # the column named by problems with the whole file
HEADER = "(header)"  # the column named by problems with the header as a whole


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, in the form `file:row:column: message`."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class FileRefused(Exception):
    """A file that cannot be read at all (the problems say why)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class FileFacts:
    """What one pass over the bytes tells: the hash that identifies the file, its size and
    how to decode it."""

    sha256: str
    size: int
    format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8-sig" or "cp1252" for CSV


def examine(path: Path, name: str) -> FileFacts:
    """Hash the file and decide its format and encoding, reading it in chunks (never whole).
    Raises FileRefused for an empty, binary, UTF-16 or undecodable file."""
    digest = hashlib.sha256()
    size = 0
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8_ok = cp1252_ok = True
    bad_line = {"utf-8": 0, "cp1252": 0}
    lines = 1
    head = b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if size == 0:
                head = chunk[:SNIFF_BYTES]
                if head.startswith(XLSX_MAGIC):
                    digest.update(chunk)
                    size += len(chunk)
                    for rest in iter(lambda: stream.read(CHUNK_BYTES), b""):
                        digest.update(rest)
                        size += len(rest)
                    return FileFacts(digest.hexdigest(), size, "xlsx", None)
                _refuse_binary(head, name)
            digest.update(chunk)
            size += len(chunk)
            for label, decoder in (("utf-8", utf8), ("cp1252", cp1252)):
                if (utf8_ok if label == "utf-8" else cp1252_ok) is False:
                    continue
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad_line[label] = lines + chunk[: exc.start].count(b"\n")
                    if label == "utf-8":
                        utf8_ok = False
                    else:
                        cp1252_ok = False
            lines += chunk.count(b"\n")
            if b"\x00" in chunk:
                _refuse_binary(b"\x00", name)
    if size == 0 or not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRefused([Problem(name, 1, HEADER, "the file is empty: it has no header row")])
    if utf8_ok:
        return FileFacts(digest.hexdigest(), size, "csv", "utf-8-sig")
    if cp1252_ok:
        return FileFacts(digest.hexdigest(), size, "csv", "cp1252")
    raise FileRefused(
        [
            Problem(
                name,
                bad_line["utf-8"],
                FILE,
                "the text is neither UTF-8 nor Windows-1252 (first undecodable byte on this "
                "line): save the file as 'CSV UTF-8'",
            )
        ]
    )


def _refuse_binary(head: bytes, name: str) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            [
                Problem(
                    name,
                    1,
                    FILE,
                    "the file is UTF-16 text ('Unicode text' in Excel): save it as 'CSV UTF-8' "
                    "or as an Excel workbook (.xlsx)",
                )
            ]
        )
    if b"\x00" in head:
        raise FileRefused(
            [
                Problem(
                    name,
                    1,
                    FILE,
                    "this is a binary file, not CSV text or an Excel .xlsx workbook",
                )
            ]
        )


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
            return min(self._stream.buffer.tell() / max(self.facts.size, 1), 1.0)
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

    def batches(self, size: int) -> Iterator[tuple[list[int], list[list[Any]]]]:
        """(row numbers, rows) for the rows after the header, up to `size` at a time; blank
        rows are skipped. The same rows as `rows()`: a CSV is read `size` records at a time
        by the csv module itself, with no Python step per row unless a row is blank."""
        if self.facts.format == "xlsx":
            numbers: list[int] = []
            rows: list[list[Any]] = []
            for number, values in self.rows():
                numbers.append(number)
                rows.append(values)
                if len(rows) == size:
                    yield numbers, rows
                    numbers, rows = [], []
            if rows:
                yield numbers, rows
            return
        with self._csv_reader() as reader:
            first = 2
            try:
                next(reader, None)  # the header
                while rows := list(itertools.islice(reader, size)):
                    numbers = list(range(first, first + len(rows)))
                    first += len(rows)
                    if not all(map(any, rows)):
                        kept = [(n, r) for n, r in zip(numbers, rows, strict=True) if any(r)]
                        numbers, rows = [n for n, _ in kept], [r for _, r in kept]
                    if rows:
                        yield numbers, rows
            except csv.Error:
                for _ in self._raw_rows():  # read again row by row: it names the row
                    pass
                raise

    @contextmanager
    def _csv_reader(self) -> Iterator[Any]:
        """A strict csv reader over the file, whose position `fraction_read` reports."""
        with self.path.open(encoding=self.facts.encoding, newline="") as text:
            self._stream = text
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
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                self._xlsx_rows_read = (number, total)
                yield number, list(values)
        finally:
            workbook.close()


def file_hash(path: Path) -> str:
    """The SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def open_table(path: Path, name: str | None = None) -> Table:
    """Examine `path` and open it for reading. Raises FileRefused if it cannot be read."""
    name = name or path.name
    return Table(path, name, examine(path, name))


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
