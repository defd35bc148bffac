"""One pack in one of its formats, for the command line and the Board pack page alike."""

from __future__ import annotations

from boardpack import html, pdf, workbook
from boardpack.content import Pack

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(pack: Pack, fmt: str, *, progress=lambda _share, _text: None) -> bytes:
    """The pack as `fmt` (pdf, html or xlsx) bytes."""
    if fmt == "pdf":
        return pdf.render(pack, progress=progress)
    if fmt == "html":
        return html.render(pack, progress=progress).encode("utf-8")
    if fmt == "xlsx":
        return workbook.render(pack)
    raise ValueError(f"no pack format {fmt!r}: one of {', '.join(MEDIA_TYPES)}")


def file_name(pack: Pack, fmt: str) -> str:
    area = "".join(c if c.isalnum() else "-" for c in pack.area.lower())
    return f"board-pack-{area}-{pack.meeting:%Y-%m-%d}.{fmt}"
