"""Hostile uploads made on the fly, in constant memory, for tests/test_upload_limits.py and
bench/uploads.py: Excel workbooks with a huge cell (inline or shared), many shared strings or a
huge sheet, and police.uk archives that unpack far past their size (by their directory, by a
directory that lies, by many files).

Every builder streams what it writes through the zip module, so a workbook of 250 MB of
unpacked XML is made with a megabyte of memory and packs to a few hundred kilobytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MB = 1 << 20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RETURNS = ["measure", "month", "area", "breakdown", "value", "numerator", "denominator", "note"]
ROW = ["civil_orders", "2025-06", "Burnley", "", "3", "", "", "a note"]
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>SHARED_TYPE</Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{RELATION}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATION}">'
        '<sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{RELATION}/worksheet" Target="worksheets/sheet1.xml"/>SHARED</Relationships>'
    ),
}
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_RELATION = (
    f'<Relationship Id="rId2" Type="{RELATION}/sharedStrings" Target="sharedStrings.xml"/>'
)


def _letter(column: int) -> str:
    return chr(ord("A") + column)


def _write(zipped: zipfile.ZipFile, part: str, chunks: Iterable[bytes]) -> None:
    info = zipfile.ZipInfo(part)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipped.open(info, "w") as stream:
        for chunk in chunks:
            stream.write(chunk)


def _filler(size: int) -> Iterator[bytes]:
    """`size` bytes of one letter, a megabyte at a time."""
    block = b"A" * MB
    for _ in range(size // MB):
        yield block
    yield b"A" * (size % MB)


def workbook(
    path: Path, rows: list[list[str]], *, huge: int = 0, shared: bool = False, extra: int = 0
) -> Path:
    """A monthly return as .xlsx: `rows` after the header; with `huge`, the note of the last
    row holds `huge` letters; with `shared`, every text is a shared string (as Excel writes
    them; else inline, as openpyxl does); `extra` more (unused) shared strings."""
    texts: list[str] = []
    cells: list[list[tuple[str, str]]] = []
    for row in [RETURNS, *rows]:
        kept = []
        for value in row:
            if shared:
                kept.append(("s", str(len(texts))))
                texts.append(value)
            else:
                kept.append(("inlineStr", value))
        cells.append(kept)

    def sheet() -> Iterator[bytes]:
        head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        yield head.encode()
        for r, row in enumerate(cells, start=1):
            yield f'<row r="{r}">'.encode()
            for c, (kind, value) in enumerate(row):
                ref = f"{_letter(c)}{r}"
                last = r == len(cells) and c == len(row) - 1
                if kind == "s":
                    yield f'<c r="{ref}" t="s"><v>{value}</v></c>'.encode()
                else:
                    yield f'<c r="{ref}" t="inlineStr"><is><t>{value}'.encode()
                    if last and huge:
                        yield from _filler(huge)
                    yield b"</t></is></c>"
            yield b"</row>"
        yield b"</sheetData></worksheet>"

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        for i, text in enumerate(texts):
            yield f"<si><t>{text}".encode()
            if i == len(texts) - 1 and huge:
                yield from _filler(huge)
            yield b"</t></si>"
        for i in range(extra):
            yield f"<si><t>unused {i}</t></si>".encode()
        yield b"</sst>"

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for part, text in STATIC.items():
            text = text.replace("SHARED_TYPE", SHARED_TYPE if shared else "")
            zipped.writestr(part, text.replace("SHARED", SHARED_RELATION if shared else ""))
        _write(zipped, "xl/worksheets/sheet1.xml", sheet())
        if shared:
            _write(zipped, "xl/sharedStrings.xml", strings())
    return path


def street_rows(count: int) -> Iterator[bytes]:
    """A police.uk street file of `count` rows of Lancashire (shoplifting in one place)."""
    yield STREET_HEADER.encode()
    for i in range(count):
        yield (
            f"{i:064x},2024-01,Lancashire Constabulary,Lancashire Constabulary,-2.46,53.76,"
            "On or near X,E01012607,Blackburn with Darwen 001A,Shoplifting,"
            "Under investigation,\n"
        ).encode()


def archive(path: Path, members: dict[str, Iterable[bytes]], *, empty: int = 0) -> Path:
    """A zip of the given members (streamed), and `empty` more empty files."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, chunks in members.items():
            _write(zipped, name, chunks)
        for i in range(empty):
            zipped.writestr(f"other/{i}.txt", "")
    return path


def bomb_member(size: int) -> Iterator[bytes]:
    """A street file's header and then `size` bytes of one letter (a zip bomb's member)."""
    yield STREET_HEADER.encode()
    yield from _filler(size)


def lie(path: Path, member: str, size: int) -> Path:
    """Rewrite the zip's central directory to declare `member` `size` bytes unpacked (the
    entry's fields: the unpacked size at byte 24, the name's length at 28, the name from 46)."""
    data = bytearray(path.read_bytes())
    for entry in (m.start() for m in re.finditer(b"PK\x01\x02", data)):
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return path
    raise ValueError(f"no {member} in the zip's directory")
