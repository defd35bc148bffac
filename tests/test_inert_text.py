"""Text people type or name (commentary, file names) stays inert text in every output: stored
without control or direction characters, drawn as plain text on the pages, escaped in the
HTML, literal in the PDF, never a formula in a spreadsheet. The hostile text below is shared
with the page tests (tests/test_commentary.py) and the board pack's (tests/test_boardpack.py),
which check it in the pages and the pack they already make."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from config import get_catalogue
from db import commentary
from db.commentary import Text
from db.engine import session_scope
from db.store import init_store

RLO = "\u202e"  # right-to-left override: "gpj.exe" would read as "exe.jpg"
HOSTILE_TEXT = (
    '=HYPERLINK("http://evil.example/x","click") [a link](http://evil.example/a) '
    "![img](http://evil.example/i.png) <script>alert(1)</script> "
    f"<img src=x onerror=alert(1)> {RLO}gpj.exe"
)
HOSTILE_SHOWN = HOSTILE_TEXT.replace(RLO, "")  # what is stored and shown
HOSTILE_FILE = (
    f'=HYPERLINK("evil")[a](javascript:alert(1))<img src=x onerror=alert(1)>{RLO}vsc.xlsx'
)
HOSTILE_FILE_SHOWN = HOSTILE_FILE.replace(RLO, "")
EVIL = ("evil", "javascript:", "onerror", "<script", "<img", "![", "](")


def markup_in(bodies: list[str]) -> list[str]:
    """The bodies (markdown of page elements) that carry any piece of the hostile text."""
    return [b for b in bodies if any(piece in b for piece in EVIL) or RLO in b]


class Elements(HTMLParser):
    """The tags of an HTML page with their attributes, and its text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data) -> None:
        self.text.append(data)

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def assert_inert_html(page: str, *texts: str) -> None:
    """No script, no image but the page's own embedded charts, no link out, no event handler;
    each of `texts` in the page's text as written."""
    found = Elements(page)
    assert not found.of("script")
    assert all((a.get("src") or "").startswith("data:image/") for a in found.of("img"))
    assert all((a.get("href") or "").startswith("#") for a in found.of("a"))
    assert not [a for _, attrs in found.tags for a in attrs if a.startswith("on")]
    shown = "".join(found.text)
    for text in texts:
        assert text in shown
    assert RLO not in page


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (
            Text(
                what=f"Line one\r\nline{RLO} two\x1b[31m\x00", owner=f"Sgt\nA{RLO}\t", why=" \x07"
            ),
            Text(what="Line one\nline two[31m", owner="Sgt A", why=""),
        ),
        (
            Text(what=HOSTILE_TEXT, actions=f"\ufeff{HOSTILE_TEXT}"),
            Text(what=HOSTILE_SHOWN, actions=HOSTILE_SHOWN),
        ),
    ],
    ids=["controls", "hostile"],
)
def test_commentary_is_stored_without_control_or_direction_characters(store, given, stored):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(store.engine) as session:
        commentary.write(
            session=session, actor="tests", measure_code="civil_orders", area="Burnley",
            month=date(2026, 10, 1), text=given,
        )  # fmt: skip
    with session_scope(store.engine) as session:
        (row,) = commentary.current(session=session).itertuples()
    assert Text(what=row.what, why=row.why, actions=row.actions, owner=row.owner) == stored


def test_commentary_of_only_control_characters_is_refused(store):
    init_store(engine=store.engine, catalogue=get_catalogue(), actor="tests")
    with session_scope(store.engine) as session, pytest.raises(ValueError, match="what happened"):
        commentary.write(
            session=session, actor="tests", measure_code="civil_orders", area="Burnley",
            month=date(2026, 10, 1), text=Text(what=f"\x00{RLO}\u200e "),
        )  # fmt: skip


def test_the_public_summary_html_keeps_commentary_inert(tmp_path):
    from publicsummary import export, gather
    from tests.conftest import Store
    from tests.test_commentary import approve
    from tests.test_public_summary import FORCE, _build

    store = _build(Store("sqlite", tmp_path), tmp_path)
    with session_scope(store.engine) as session:
        commentary.write(
            session=session, actor="tests", measure_code="civil_orders", area=FORCE,
            month=date(2025, 8, 1), text=Text(what=HOSTILE_TEXT, actions="=1+1", public=True),
        )  # fmt: skip
        approve(session, measure_code="civil_orders", area=FORCE, month=date(2025, 8, 1))
        summary = gather(session=session, catalogue=get_catalogue())
    page = export.html(summary, get_catalogue()).decode("utf-8")
    assert_inert_html(page, f"What happened: {HOSTILE_SHOWN}", "What we are doing: =1+1")
    assert not Elements(page).of("img")  # the summary has no images at all
    store.close()
