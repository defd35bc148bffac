"""Limits on an Excel workbook, before and while it is read.

An .xlsx file is a zip of XML parts, so a small file can unpack to gigabytes: a 1.5 MB
workbook holding one 1.5 GB shared string took the server to 4.9 GB of memory for a minute
(openpyxl reads the shared strings whole, even in read-only mode). So, before any part is
parsed, the zip's directory is read and a workbook is refused when one part would unpack to
more than MAX_XLSX_PART_BYTES or all of them to more than MAX_XLSX_TOTAL_BYTES; then every
part is unpacked once, counting the bytes, so a directory that understates a part's size is
caught too (and a damaged part refused before openpyxl meets it). Between the two, the shared
strings and the first sheet are read as a stream (`ingest.xlsx_scan`): a cell or shared
string longer than UPLOAD_XLSX_CELL_CHARS, or shared strings past their count or text limits
(`ingest.limits`), are refused at once, naming sheet, row and column. While the first sheet is
read, its cells are counted (`CellCounter`): its declared size, then the rows as they come,
are held to MAX_XLSX_CELLS, since a few bytes of XML can declare a row a billion rows down.

The limits are far above a real return or extract kept in Excel (which holds at most about a
million rows); a larger file loads as CSV, which streams in constant memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

from ingest.examine import FILE, FileRefused, Problem
from ingest.limits import UploadLimits, upload_limits
from ingest.xlsx_scan import scan_workbook

MAX_XLSX_PART_BYTES = 256 << 20  # one part of the workbook (a sheet, the shared strings), unpacked
MAX_XLSX_TOTAL_BYTES = 512 << 20  # every part together, unpacked
MAX_XLSX_CELLS = 20_000_000  # cells of the first sheet (a million rows of 20 columns)
CHUNK_BYTES = 1 << 20
SAVE_AS_CSV = "save it as CSV (CSV files of any size load)"


def check_workbook(path: Path, name: str, limits: UploadLimits | None = None) -> None:
    """Refuse (FileRefused) a workbook whose parts would unpack past the limits, by its zip
    directory first, then by reading its shared strings and first sheet as a stream
    (`limits`: default, the settings'), then by unpacking each part with a count of its
    bytes."""
    try:
        with zipfile.ZipFile(path) as zipped:
            parts = zipped.infolist()
            total = 0
            for part in parts:
                _part_size(name, part.filename, part.file_size)
                total += part.file_size
            _total_size(name, total)
            scan_workbook(zipped, name, limits or upload_limits())
            total = 0
            for part in parts:
                total += _unpacked_size(zipped, part, name, total)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        KeyError,
        expat.ExpatError,
    ) as exc:
        raise FileRefused(_refusal(name, f"not a readable Excel .xlsx workbook ({exc})")) from None


def _unpacked_size(zipped: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, before: int) -> int:
    """A part's bytes when unpacked, read in chunks and never past the limits, whatever the
    directory says."""
    size = 0
    with zipped.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            _part_size(name, part.filename, size)
            _total_size(name, before + size)
    return size


def _part_size(name: str, part: str, size: int) -> None:
    if size > MAX_XLSX_PART_BYTES:
        raise FileRefused(
            _refusal(
                name,
                f"its part {part!r} unpacks to more than {_mb(MAX_XLSX_PART_BYTES)}, the most "
                f"read from one part of a workbook (MAX_XLSX_PART_BYTES): {SAVE_AS_CSV}",
            )
        )


def _total_size(name: str, size: int) -> None:
    if size > MAX_XLSX_TOTAL_BYTES:
        raise FileRefused(
            _refusal(
                name,
                f"the workbook unpacks to more than {_mb(MAX_XLSX_TOTAL_BYTES)}, the most read "
                f"from a workbook (MAX_XLSX_TOTAL_BYTES): {SAVE_AS_CSV}",
            )
        )


class CellCounter:
    """Counts the cells of the sheet being read, refusing past MAX_XLSX_CELLS: first its
    declared size (rows x columns), then each row as it comes (a row with no cells counts as
    one, so a billion empty rows are refused too)."""

    def __init__(self, name: str, rows: int | None, columns: int | None) -> None:
        self.name = name
        self.cells = 0
        declared = (rows or 0) * (columns or 0)
        if declared > MAX_XLSX_CELLS:
            self._refuse(f"its first sheet declares {rows:,} rows of {columns:,} columns")

    def add(self, row: tuple) -> None:
        self.cells += max(len(row), 1)
        if self.cells > MAX_XLSX_CELLS:
            self._refuse("its first sheet holds more cells than that")

    def _refuse(self, what: str) -> None:
        raise FileRefused(
            _refusal(
                self.name,
                f"{what}: more than {MAX_XLSX_CELLS:,} cells, the most read from a workbook "
                f"(MAX_XLSX_CELLS): {SAVE_AS_CSV}",
            )
        )


def _refusal(name: str, message: str) -> list[Problem]:
    return [Problem(name, 1, FILE, message)]


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"
