"""The pack as PDF: the HTML pack laid out by WeasyPrint (A4 landscape, the period and page
number on every page, the demonstration label on every page when it applies)."""

from __future__ import annotations

from boardpack import html
from boardpack.content import Pack


def render(pack: Pack, *, progress=lambda _share, _text: None) -> bytes:
    from weasyprint import HTML

    page = html.render(pack, progress=progress)
    progress(0.98, "Laying out the PDF")
    return HTML(string=page, base_url=str(html.TEMPLATES)).write_pdf()
