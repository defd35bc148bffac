"""Access by area (issue 26), as an attacker would try it: a district-limited and a
division-limited board account open every page of the navigation (`views.ui.NAVIGATION`) at
every area level, and links asking for the force and for other areas; everything the page
sends (text, tables' cells, charts, every CSV download and the board pack's PDF and workbook)
is searched for the name of an area the account may not see and for a figure only such an
area has. The cases are generated from `config/` and the navigation."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from auth.areas import limit_asked
from config import PROJECT_ROOT, get_catalogue, get_settings
from config.areascope import allowed_names
from db import accounts
from db.account_areas import set_limit
from db.engine import read_scope, session_scope
from db.queries import LEVELS, monthly_values
from tests.conftest import Store, address, sqlite_copy, switch_to
from views.auth import SIGNED_IN
from views.ui import AREA, NAVIGATION

GEO = get_catalogue().geography
PAGES = [address(path, url) for pages in NAVIGATION.values() for path, _, _, url in pages]
# Two limited board accounts: districts of one division, and another division whole.
LIMITS = {
    "board-districts": ("district", [GEO.district[1].name, GEO.district[2].name]),
    "board-division": ("division", [GEO.division[1].name]),
}
# Figures below this may be shared by chance between areas (a district's count and another's
# forecast): not compared. Force and division totals, and the larger districts', are above it.
SMALLEST = 5000


def _allowed(account: str) -> frozenset[str]:
    level, codes = LIMITS[account]
    return allowed_names(GEO, level, codes)


def forbidden_names(account: str) -> list[str]:
    """The districts and divisions the account may not see (its own division's name is
    allowed where a district-limited account's district is labelled with it)."""
    allowed = _allowed(account)
    own_divisions = {d.division for d in GEO.district if d.name in allowed}
    names = [d.name for d in GEO.district if d.name not in allowed]
    names += [f"{d.name} division" for d in GEO.division if d.name not in own_divisions]
    names += [d.ons_code for d in GEO.district if d.name not in allowed]
    return names


@pytest.fixture(scope="module")
def limited_store(demo_sqlite: Store, tmp_path_factory) -> Iterator[Store]:
    """A copy of the demonstration store with the two limited board accounts (sign-in
    required)."""
    copy = sqlite_copy(demo_sqlite, tmp_path_factory.mktemp("areas"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", copy.url)
        patch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
        get_settings.cache_clear()
        with session_scope(copy.engine) as session:
            for name in ("admin", "analyst"):  # with an admin, the command line needs an account
                accounts.add(session=session, name=name, role=name, password_hash=None, actor="t")
            for name, (level, codes) in LIMITS.items():
                accounts.add(
                    session=session, name=name, role="board", password_hash=None, actor="test"
                )
                limit = (
                    limit_asked(division=codes[0])
                    if level == "division"
                    else limit_asked(districts=codes)
                )
                set_limit(session=session, name=name, limit=limit, actor="test")
        yield copy
    get_settings.cache_clear()
    copy.close()


@pytest.fixture(scope="module")
def figures(limited_store: Store) -> dict[str, set[int]]:
    """Per account, the figures (>= SMALLEST, whole) only areas it may not see have: monthly
    values and their sums over every run of 12 months, by measure and area."""
    with read_scope(limited_store.engine) as session:
        frame = pd.concat([monthly_values(session=session, level=lv) for lv in LEVELS])
    frame = frame.sort_values(["measure", "level", "area", "month"])
    sums = frame.groupby(["measure", "level", "area"])["value"].transform(
        lambda v: v.rolling(12, min_periods=12).sum()
    )
    frame = pd.concat([frame.assign(kind="month"), frame.assign(value=sums, kind="year")])
    frame = frame.dropna(subset=["value"])
    frame = frame[(frame["value"] >= SMALLEST) & (frame["value"] % 1 == 0)]
    found = {}
    for account in LIMITS:
        mine = frame["area"].isin(_allowed(account))
        found[account] = set(frame.loc[~mine, "value"].astype(int)) - set(
            frame.loc[mine, "value"].astype(int)
        )
    return found


class Sent:
    """Everything a page run sent: its serialised elements, tables and downloads."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.frames: list[pd.DataFrame] = []
        self.files: list[tuple[str, bytes]] = []


def _file_texts(data: bytes) -> list[str]:
    """A download's readable text: CSV as is, the PDF through pdftotext, the workbook's
    cells."""
    if data[:4] == b"%PDF":
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        )
        return [done.stdout.decode()]
    if data[:2] == b"PK":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return [
            "\t".join("" if c is None else str(c) for c in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    return [data.decode("utf-8", "replace")]


@pytest.fixture
def capture(monkeypatch) -> Sent:
    """Record every download button's file as the page makes it."""
    sent = Sent()
    original = st.download_button

    def recording(label, data, *args, **kwargs):
        raw = data() if callable(data) else data
        raw = raw.encode() if isinstance(raw, str) else bytes(raw)
        sent.files.append((kwargs.get("file_name", label), raw))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    return sent


def run(path: str, account: str, area: str | None, sent: Sent) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=300)
    switch_to(at, path)
    at.session_state[SIGNED_IN] = {"name": account, "seen": datetime.now()}
    if area is not None:
        at.query_params[AREA] = area
    at.run()
    assert not at.exception, at.exception
    sent.texts.append(_proto_text(at))
    sent.frames += [e.value for e in at.dataframe] + [e.value for e in at.table]
    return at


def _proto_text(at: AppTest) -> str:
    """Every element's serialised form (Arrow tables and chart specs included) as text, less
    the notice that echoes the link's own asked-for area."""

    def protos(node):
        if getattr(node, "proto", None) is not None:
            text = node.proto.SerializeToString().decode("utf-8", "replace")
            if "The link asked for" not in text:
                yield text
        for child in getattr(node, "children", {}).values():
            yield from protos(child)

    return "\n".join(protos(at._tree))


# A figure as written: with thousands separators, or four or more digits (not a year).
NUMBER = re.compile(  # not inside a date (2022-11,358.0 in a CSV is a month and a value)
    r"(?<![\w,.-])[1-9]\d{0,2}(?:,\d{3})+(?![\w,])|(?<![\w.,-])[1-9]\d{3,}(?![\w,])"
)
YEARS = range(1990, 2100)


def leaks(sent: Sent, account: str, numbers: set[int]) -> list[str]:
    texts = sent.texts + [t for name, data in sent.files for t in _file_texts(data)]
    found = []
    for name in forbidden_names(account):
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
        found += [f"name {name!r}" for t in texts if pattern.search(t)][:1]
    for text in texts:
        for n in NUMBER.findall(text):
            value = int(n.replace(",", ""))
            if value in numbers and not ("," not in n and value in YEARS):
                found.append(f"figure {n}: …{_around(text, n)}…")
    for frame in sent.frames:
        cells = frame.reset_index().to_numpy().ravel().tolist()
        found += [
            f"cell {c!r}"
            for c in cells
            if isinstance(c, str)
            and c
            in set(forbidden_names(account))
            | {f.removesuffix(" division") for f in forbidden_names(account)}
        ]
        found += [f"cell figure {c}" for c in cells if _whole(c) in numbers]
    return sorted(set(found))


def _around(text: str, what: str) -> str:
    at = text.find(what)
    return text[max(0, at - 60) : at + 20].replace("\n", " ")


def _whole(value) -> int | None:
    try:
        return int(value) if float(value) == int(value) else None
    except (TypeError, ValueError, OverflowError):
        return None


def _levels(account: str) -> list[str | None]:
    """The areas asked for: none (the page's default), each allowed level's first area, the
    force and another area (refused, the page shows an allowed one)."""
    level, _ = LIMITS[account]
    district = next(d.name for d in GEO.district if d.name in _allowed(account))
    other = next(d.name for d in GEO.district if d.name not in _allowed(account))
    return [None, *([district] if level == "division" else []), GEO.force, other]


CASES = [
    pytest.param(account, path, id=f"{account}-{path.removeprefix('pages/').removesuffix('.py')}")
    for account in LIMITS
    for path in PAGES
]


@pytest.mark.parametrize(("account", "path"), CASES)
@pytest.mark.usefixtures("limited_store")
def test_no_other_area_reaches_a_limited_account(figures, capture, account, path):
    for area in _levels(account):
        run(path, account, area, capture)
    found = leaks(capture, account, figures[account])
    assert not found, f"{account} on {path} received: {found[:12]}"


@pytest.mark.parametrize("account", list(LIMITS))
def test_a_limited_accounts_board_pack_holds_only_its_areas(
    limited_store, figures, monkeypatch, tmp_path, account
):
    """`manage.py pack` as the account, PDF and workbook (the page makes the same pack with
    the same scope: `boardpack.content.build`)."""
    import manage
    from auth import tokens

    def packs(name: str, area: list[str]) -> Sent:
        token = tokens.make_token(engine=limited_store.engine, account=name, name="t", days=1)
        monkeypatch.setenv("DASHBOARD_TOKEN", token)  # proven, as a script would be
        get_settings.cache_clear()
        sent = Sent()
        for fmt in ("pdf", "xlsx"):
            out = tmp_path / f"pack.{fmt}"
            argv = ["pack", "--date", "2026-12-01", *area, "--format", fmt, "--out", str(out)]
            assert manage.main(argv) == 0
            sent.files.append((out.name, out.read_bytes()))
        return sent

    # the check finds what it looks for: the analyst's force pack holds other areas' figures
    assert leaks(packs("analyst", ["--area", GEO.force]), account, figures[account])
    sent = packs(account, [])
    assert manage.main(["pack", "--date", "2026-12-01", "--area", GEO.force, "--out",
                        str(tmp_path / "force.pdf")]) == 1  # fmt: skip
    found = leaks(sent, account, figures[account])
    assert not found, f"{account}'s pack holds: {found[:12]}"
    get_settings.cache_clear()
