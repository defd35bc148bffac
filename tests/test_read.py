"""A CSV without quote marks is read by pyarrow (`ingest.csv_arrow`), anything else by the csv
module. Both must give the same rows, row numbers and problems: every file below is read both
ways, in batches small enough to cross batch ends, and compared."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.csv_arrow
from ingest.read import Table, open_table

HEADER = b"a,b,c\n"
# (name, bytes after the header, encoding the file is written in)
FILES = [
    ("plain", b"1,2,3\n4,5,6\n7,8,9\n", "utf-8"),
    ("crlf", b"1,2,3\r\n4,5,6\r\n", "utf-8"),
    ("carriage returns alone", b"1,2,3\r4,5,6\r", "utf-8"),
    ("no final line break", b"1,2,3\n4,5,6", "utf-8"),
    ("blank lines", b"1,2,3\n\n4,5,6\n\n\n7,8,9\n", "utf-8"),
    ("rows of empty values", b"1,2,3\n,,\n4,5,6\n", "utf-8"),
    ("spaces kept", b" 1 ,2, 3\n", "utf-8"),
    ("too few values", b"1,2,3\n4,5\n6,7,8\n9,10,11\n", "utf-8"),
    ("too many values", b"1,2,3\n4,5,6,7\n8,9,10\n11,12,13\n", "utf-8"),
    ("width wrong at the end", b"1,2,3\n4,5,6\n7,8,9\n10,11\n", "utf-8"),
    ("lone carriage return inside a value", b"1,2,3\n4\r5,6,7\n8,9,10\n", "utf-8"),
    ("quoted", b'1,"2,x",3\n"4",5,6\n7,8,9\n', "utf-8"),
    ("quoted line break", b'1,"2\n2",3\n4,5,6\n', "utf-8"),
    ("quote inside a value", b'1,2"x,3\n4,5,6\n', "utf-8"),
    ("utf-8 with a byte-order mark", "é,ü,ß\nx,y,z\n".encode("utf-8-sig"), None),
    ("windows-1252", "é,£,–\n1,2,3\n".encode("cp1252"), None),
    ("header alone", b"", "utf-8"),
    ("many rows", b"".join(b"%d,%d,%d\n" % (i, i, i) for i in range(23)), "utf-8"),
]


def write(tmp_path: Path, body: bytes, encoding: str | None) -> Path:
    path = tmp_path / "file.csv"
    if encoding is None:  # the body already holds its header line, encoded
        path.write_bytes(body)
    else:
        path.write_bytes(HEADER + body)
    return path


def read_all(table: Table) -> tuple[list, list, list]:
    numbers, values, problems = [], [], []
    for rows in table.batches(2):
        numbers.extend(rows.numbers.tolist())
        values.extend(list(row) for row in rows.lists())
        problems.extend(str(p) for p in rows.problems)
    return numbers, values, problems


@pytest.mark.parametrize(("_name", "body", "encoding"), FILES, ids=[f[0] for f in FILES])
def test_pyarrow_and_the_csv_module_read_the_same_rows(
    tmp_path, monkeypatch, _name, body, encoding
):
    path = write(tmp_path, body, encoding)
    used = []
    frames = ingest.csv_arrow.frames

    def counted(*args, **kwargs):
        used.append(True)
        return frames(*args, **kwargs)

    monkeypatch.setattr(ingest.csv_arrow, "frames", counted)
    table = open_table(path)
    fast = read_all(table)
    assert bool(used) is (b'"' not in body)  # only files without quote marks go to pyarrow

    def stopped(*_args, **_kwargs):
        raise ingest.csv_arrow.Stopped
        yield  # a generator that stops at once

    monkeypatch.setattr(ingest.csv_arrow, "frames", stopped)
    assert read_all(open_table(path)) == fast


@pytest.mark.parametrize(
    ("name", "numbers", "problems"),
    [
        ("blank lines", [2, 4, 7], []),
        ("rows of empty values", [2, 4], []),
        (
            "too few values",
            [2, 4, 5],
            ["file.csv:3:c: the row has 2 values but the header has 3 (a truncated line?)"],
        ),
        ("too many values", [2, 4, 5], ["file.csv:3:c: the row has 4 values but the header has 3"]),
        (
            "lone carriage return inside a value",
            [2, 4, 5],
            ["file.csv:3:b: the row has 1 values but the header has 3 (a truncated line?)"],
        ),
        ("header alone", [], []),
        ("many rows", list(range(2, 25)), []),
    ],
)
def test_row_numbers_count_the_header_as_row_one(tmp_path, name, numbers, problems):
    body, encoding = next((b, e) for n, b, e in FILES if n == name)
    found, _, reported = read_all(open_table(write(tmp_path, body, encoding)))
    assert (found, reported) == (numbers, problems)


@pytest.mark.parametrize(
    ("name", "header", "values"),
    [
        ("utf-8 with a byte-order mark", ["é", "ü", "ß"], [["x", "y", "z"]]),
        ("windows-1252", ["é", "£", "–"], [["1", "2", "3"]]),
    ],
)
def test_text_is_decoded_as_examined(tmp_path, name, header, values):
    body = next(b for n, b, _ in FILES if n == name)
    table = open_table(write(tmp_path, body, None))
    assert (table.header, read_all(table)[1]) == (header, values)
