"""A first look at an uploaded file, before any row is read: its hash, size, format (CSV or
Excel) and the text encoding of a CSV, reading the bytes once in chunks; and the problems
that name file, row and column.

A file that cannot be read at all (empty, binary, UTF-16, undecodable) is refused here with
`FileRefused`; `ingest.read` reads the rows of the others.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

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
    quoted: bool = False  # a CSV with a quote mark anywhere (read by the csv module)


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
    quoted = False
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
            quoted = quoted or b'"' in chunk
            if b"\x00" in chunk:
                _refuse_binary(b"\x00", name)
    if size == 0 or not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRefused([Problem(name, 1, HEADER, "the file is empty: it has no header row")])
    if utf8_ok:
        return FileFacts(digest.hexdigest(), size, "csv", "utf-8-sig", quoted)
    if cp1252_ok:
        return FileFacts(digest.hexdigest(), size, "csv", "cp1252", quoted)
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


def file_hash(path: Path) -> str:
    """The SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
