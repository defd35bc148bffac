"""A workbook's XML read as a stream before openpyxl reads it (`ingest.xlsx_guard`).

openpyxl keeps every shared string in memory and builds each cell's text whole, so one cell
of 250 MB took 747 MB of memory and 41 s before it was refused. Here the shared strings and
the first sheet are parsed by expat in chunks of CHUNK_BYTES, counting characters as they
come, so nothing larger than a chunk is held: a cell (or shared string) longer than
UPLOAD_XLSX_CELL_CHARS, more shared strings than UPLOAD_XLSX_SHARED_STRINGS, or shared text
past UPLOAD_XLSX_SHARED_TEXT_MB is refused at once, naming the sheet, row and column (a
shared string by the first cell of the first sheet that uses it). A workbook declares no
document type: one that does is refused (no entity is ever expanded).
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from ingest.examine import FILE, FileRefused, Problem
from ingest.limits import UploadLimits

CHUNK_BYTES = 1 << 20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATION = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK, SHARED = "xl/workbook.xml", "xl/sharedStrings.xml"
RELS = "xl/_rels/workbook.xml.rels"
CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
SAVE_AS_CSV = "save it as CSV (CSV files of any size load)"


@dataclass(frozen=True)
class Sheet:
    """The workbook's first sheet: its title and part."""

    title: str
    part: str


class _Stop(Exception):
    """What was looked for is found: the parse stops."""


class _TooLong(Exception):
    """A cell or shared string past the character limit (where it is)."""

    def __init__(self, at: int | str) -> None:
        self.at = at  # a shared string's index, or a cell reference


def scan_workbook(zipped: zipfile.ZipFile, name: str, limits: UploadLimits) -> None:
    """Refuse (FileRefused) a workbook whose shared strings or first sheet are past the
    limits, reading their XML as a stream."""
    sheet = first_sheet(zipped)
    names = set(zipped.namelist())
    try:
        if SHARED in names:
            _shared_strings(zipped, name, limits)
        if sheet is not None and sheet.part in names:
            _cells(zipped, sheet.part, limits.xlsx_cell_chars)
    except _TooLong as long:
        raise FileRefused([_too_long(zipped, name, sheet, long.at, limits)]) from None


def _parse(zipped: zipfile.ZipFile, part: str, start, end=None, text=None) -> None:
    """Parse `part` in chunks with the given handlers (names as 'namespace local')."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _no_doctype
    with zipped.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _no_doctype(*_: object) -> None:
    raise expat.ExpatError("a workbook's XML declares no document type")


def first_sheet(zipped: zipfile.ZipFile) -> Sheet | None:
    """The first sheet's title and part, as the workbook and its relationships give them."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{MAIN} sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{RELATION} id", "")))

    def relation(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{PACKAGE_RELATION} Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    names = set(zipped.namelist())
    if WORKBOOK not in names or RELS not in names:
        return None
    _parse(zipped, WORKBOOK, sheet)
    _parse(zipped, RELS, relation)
    if not sheets or sheets[0][1] not in targets:
        return None
    target = targets[sheets[0][1]]
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return Sheet(sheets[0][0], part)


def _shared_strings(zipped: zipfile.ZipFile, name: str, limits: UploadLimits) -> None:
    """Count the shared strings and their characters, refusing past the limits."""
    state = {"count": 0, "one": 0, "all": 0, "in_text": 0}

    def start(tag: str, _: dict) -> None:
        if tag == f"{MAIN} si":
            state["one"] = 0
        elif tag == f"{MAIN} t":
            state["in_text"] += 1

    def end(tag: str) -> None:
        if tag == f"{MAIN} t":
            state["in_text"] -= 1
        elif tag == f"{MAIN} si":
            state["count"] += 1
            if state["count"] > limits.xlsx_shared_strings:
                raise FileRefused(_shared_refusal(name, limits, count=True))

    def text(data: str) -> None:
        if state["in_text"]:
            state["one"] += len(data)
            state["all"] += len(data)
            if state["one"] > limits.xlsx_cell_chars:
                raise _TooLong(state["count"])
            if state["all"] > limits.xlsx_shared_chars:
                raise FileRefused(_shared_refusal(name, limits, count=False))

    _parse(zipped, SHARED, start, end, text)


def _cells(
    zipped: zipfile.ZipFile, part: str, limit: int, wanted: Callable[[str], bool] | None = None
) -> None:
    """Follow the sheet's cells, raising _TooLong at the first whose text passes `limit`
    (with `wanted`: at the first cell of a shared string whose index it accepts)."""
    state = {"row": 0, "column": 0, "ref": "", "chars": 0, "value": [], "shared": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{MAIN} row":
            state["row"] = int(attrs.get("r") or state["row"] + 1)
            state["column"] = 0
        elif tag == f"{MAIN} c":
            found = CELL_REF.match(attrs.get("r", ""))
            state["column"] = column_number(found[1]) if found else state["column"] + 1
            state["ref"] = f"{column_letters(state['column'])}{state['row']}"
            state["chars"], state["value"] = 0, []
            state["shared"] = attrs.get("t") == "s"

    def end(tag: str) -> None:
        if tag != f"{MAIN} c":
            return
        if wanted and state["shared"] and wanted("".join(state["value"])):
            raise _TooLong(state["ref"])
        state["ref"] = ""

    def text(data: str) -> None:
        if state["ref"]:
            state["chars"] += len(data)
            if wanted:
                state["value"].append(data)
            if state["chars"] > limit:
                raise _TooLong(state["ref"])

    _parse(zipped, part, start, end, text)


def _too_long(
    zipped: zipfile.ZipFile, name: str, sheet: Sheet | None, at: int | str, limits: UploadLimits
) -> Problem:
    """The problem of a cell too long: the cell named by row and column, a shared string by
    the first cell that uses it (found by reading the sheet again)."""
    limit = limits.xlsx_cell_chars
    what = (
        f"is more than {limit:,} characters long, the most a cell may hold "
        f"(UPLOAD_XLSX_CELL_CHARS, Excel's own limit): shorten it, or {SAVE_AS_CSV}"
    )
    title = sheet.title if sheet else ""
    if isinstance(at, int) and sheet is not None and sheet.part in zipped.namelist():
        try:
            _cells(zipped, sheet.part, 1 << 62, wanted=lambda v: v.strip() == str(at))
        except _TooLong as used:
            at = used.at  # the cell's reference
    if isinstance(at, int):
        return Problem(name, 1, FILE, f"its shared string number {at + 1:,} {what}")
    found = CELL_REF.match(at)
    column = _header(zipped, sheet, column_number(found[1]), limits) or found[1]
    return Problem(name, int(found[2]), column, f"sheet {title!r}, cell {at}: its text {what}")


def _header(zipped: zipfile.ZipFile, sheet: Sheet, column: int, limits: UploadLimits) -> str:
    """The first row's text in `column` (a shared string looked up), as the column's name;
    empty when it is not plain text of a cell's length. Reads the parts only that far."""
    found = {"kind": "", "text": []}
    state = {"row": 0, "column": 0, "in": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{MAIN} row":
            state["row"] = int(attrs.get("r") or state["row"] + 1)
            state["column"] = 0
            if state["row"] > 1:
                raise _Stop
        elif tag == f"{MAIN} c":
            ref = CELL_REF.match(attrs.get("r", ""))
            state["column"] = column_number(ref[1]) if ref else state["column"] + 1
            state["in"] = state["column"] == column
            if state["in"]:
                found["kind"] = attrs.get("t", "")

    def end(tag: str) -> None:
        if tag == f"{MAIN} c" and state["in"]:
            raise _Stop

    def text(data: str) -> None:
        if state["in"]:
            found["text"].append(data)
            if sum(map(len, found["text"])) > limits.xlsx_cell_chars:
                raise _Stop

    with contextlib.suppress(_Stop):
        _parse(zipped, sheet.part, start, end, text)
    value = "".join(found["text"]).strip()
    if found["kind"] == "s" and value.isdigit():
        value = _shared_string(zipped, int(value), limits)
    return value if len(value) <= limits.xlsx_cell_chars else ""


def _shared_string(zipped: zipfile.ZipFile, index: int, limits: UploadLimits) -> str:
    """Shared string number `index` (from 0), reading the shared strings only that far."""
    state = {"count": 0, "in_text": 0, "text": []}

    def start(tag: str, _: dict) -> None:
        state["in_text"] += tag == f"{MAIN} t"

    def end(tag: str) -> None:
        state["in_text"] -= tag == f"{MAIN} t"
        if tag == f"{MAIN} si":
            if state["count"] == index:
                raise _Stop
            state["count"] += 1

    def text(data: str) -> None:
        if state["in_text"] and state["count"] == index:
            state["text"].append(data)
            if sum(map(len, state["text"])) > limits.xlsx_cell_chars:
                raise _Stop

    with contextlib.suppress(_Stop, KeyError):
        _parse(zipped, SHARED, start, end, text)
    return "".join(state["text"]).strip()


def _shared_refusal(name: str, limits: UploadLimits, *, count: bool) -> list[Problem]:
    if count:
        what = (
            f"its shared strings number more than {limits.xlsx_shared_strings:,}, the most read "
            f"from a workbook (UPLOAD_XLSX_SHARED_STRINGS)"
        )
    else:
        what = (
            f"its shared strings hold more than {limits.xlsx_shared_chars:,} characters "
            f"together, the most read from a workbook (UPLOAD_XLSX_SHARED_TEXT_MB)"
        )
    return [Problem(name, 1, FILE, f"{what}: {SAVE_AS_CSV}")]


def column_number(letters: str) -> int:
    """'A' is 1, 'Z' 26, 'AA' 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """1 is 'A', 27 'AA'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
