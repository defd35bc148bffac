"""The board pack on a copy of the demonstration store: made once in each format, read back as
a board member would (pdftotext and pdftoppm), its workbook's figures against `manage.py
export`, text people wrote kept inert, and the command line."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import manage
from boardpack import content, output, xlsx
from config import get_catalogue, get_settings
from db import actions, commentary
from db.commentary import Text
from db.engine import session_scope
from db.loads import record_load
from db.queries import store_summary
from metrics.periods import shift_month
from present import pack_words as words
from present import wording as w
from tests.conftest import TEST_ANALYST, Store, app_test, open_page, sqlite_copy
from tests.test_inert_text import (
    HOSTILE_FILE,
    HOSTILE_FILE_SHOWN,
    HOSTILE_SHOWN,
    HOSTILE_TEXT,
    RLO,
    assert_inert_html,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdftoppm)"
)


@pytest.fixture(scope="module")
def store(demo_sqlite: Store, tmp_path_factory) -> Store:
    """A copy of the demonstration store with hostile commentary on civil orders, and a load
    whose file name is hostile (as stored before file names were cleaned)."""
    copy = sqlite_copy(demo_sqlite, tmp_path_factory.mktemp("pack"))
    with session_scope(copy.engine) as session:
        latest = store_summary(session=session).latest_month
        commentary.write(
            session=session,
            actor="tests",
            measure_code="civil_orders",
            area=get_catalogue().geography.force,
            month=latest,
            text=Text(what=HOSTILE_TEXT, actions="=1+1", owner="Lead"),
        )
        record_load(
            session=session, source="returns", file_name=HOSTILE_FILE, file_hash="0" * 64,
            rows=0, loaded_by="tests", is_demo=True,
        )  # fmt: skip
        _actions(session, latest)
    yield copy
    copy.close()


def _actions(session, latest) -> None:
    """Actions of the meetings around the pack's (next month's 20th; the last on `latest`'s
    20th): one open since two meetings ago, one closed since the last meeting, one closed
    before it and one raised after the meeting (neither shown)."""
    before, last, meeting = (shift_month(latest, n).replace(day=20) for n in (-1, 0, 1))
    made = {}
    for name, raised in (("open", before), ("closed since", last), ("closed before", before),
                         ("later", shift_month(meeting, 1))):  # fmt: skip
        made[name] = actions.add(
            session=session, actor="board secretary", area="Burnley" if name == "open" else
            "Lancashire", raised_at=raised, is_demo=True,
            action=actions.Action(what=f"Action {name}", owner="Head of Neighbourhood Policing",
                                  due=meeting, measure_code="asb_incidents"),
        )  # fmt: skip
    session.flush()
    for name, closed in (("closed since", last.replace(day=28)), ("closed before", last)):
        actions.set_status(
            session=session, actor="chair", action_id=made[name], status="done", closed_at=closed
        )


@pytest.fixture(scope="module")
def pack(store: Store) -> content.Pack:
    with session_scope(store.engine) as session:
        latest = store_summary(session=session).latest_month
    meeting = shift_month(latest, 1).replace(day=20)  # the next month's meeting reads `latest`
    return content.build(
        engine=store.engine,
        catalogue=get_catalogue(),
        meeting=meeting,
        area=get_catalogue().geography.force,
        previous=latest.replace(day=20),  # so the loads since (by file name) are in the pack
    )


@pytest.fixture(scope="module")
def pdf_file(pack, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    path.write_bytes(output.render(pack, "pdf"))
    return path


def _text(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True).stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_holds_every_measures_status_and_reason_and_the_period(pack, pdf_file):
    text = _flat(_text(pdf_file))
    measures = [m for op in pack.operations for m in op.measures]
    assert len(measures) >= len(get_catalogue().measures.measure)  # a measure per operation
    for m in measures:
        assert _flat(f"{m.status}: {m.reason}") in text, m.code
    assert f"12 months to {w.month(pack.as_of)}" in text
    assert "DEMONSTRATION DATA: the figures in this pack are synthetic" in text


def test_every_pdf_page_carries_the_period_its_number_and_the_demonstration_label(
    pack, pdf_file, tmp_path
):
    pages = int(re.search(r"Pages:\s+(\d+)", _info(pdf_file)).group(1))
    assert 15 <= pages <= 60
    footer = f"ASB Action Plan board pack · {pack.area} · 12 months to {w.month(pack.as_of)}"
    for page in range(1, pages + 1):
        text = _text(pdf_file, page)
        assert footer in text, page
        assert f"Page {page} of {pages}" in text, page
        assert "DEMONSTRATION DATA: not real figures" in text, page
        assert _flat(words.freshness(pack)) in _flat(text), page  # the data's age and source
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf_file), str(tmp_path / "p")])
    assert len(list(tmp_path.glob("p-*.png"))) == pages  # every page renders as an image


def _formulas(workbook: bytes) -> list[str]:
    """Every cell of the workbook that a spreadsheet would run as a formula."""
    book = load_workbook(io.BytesIO(workbook))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


def test_the_league_shows_the_figure_beside_every_status_icon(pack, pdf_file, store):
    """Issue 24: each district's cell is its status icon and its latest 12 months (a count for
    fatal collisions, never a percentage change), in the PDF and the HTML (the workbook's
    sheet is the same table)."""
    from markupsafe import escape

    import scoring
    from config.models import Status

    catalogue = get_catalogue()
    league = pack.league.set_index("Measure")
    with session_scope(store.engine) as session:
        found = scoring.read(session=session, as_of=pack.as_of, level="district")
    fatal = found[found["measure"] == "ebike_fatal_collisions"].set_index("area")
    for district, cell in league.loc[catalogue.measure("ebike_fatal_collisions").title].items():
        score = fatal.loc[district, "score"]
        icon = w.STATUS_ICONS[Status(score.status)]
        chance = w.chance(score.probability).replace(" ", words.NBSP)
        assert cell == f"{icon}{words.NBSP}{score.rolling_12m:,.0f} · {chance}", district
    icons = set(w.STATUS_ICONS.values())
    for cell in league.to_numpy().ravel():
        assert cell == "–" or (cell[0] in icons and len(cell.split(" · ")) <= 2), cell
    rate = catalogue.measure("shoplifting_positive_outcome_rate").title
    assert all(c.split(" · ")[0].endswith("%") for c in league.loc[rate] if c != "–")
    text = _flat(_text(pdf_file))
    assert _flat(words.LEAGUE_NOTE) in text
    assert str(escape(words.LEAGUE_NOTE)) in output.render(pack, "html").decode("utf-8")


def test_the_league_and_the_districts_page_name_the_same_status_in_every_cell(pack, store):
    """The pack's league (icon and figure) and the Districts page's matrix (status words and
    chance), both `measure_table.status_matrix` over the same stored scores, name the same
    status in every cell, and "–" where the page says "no figures loaded"."""
    import scoring
    from config.models import Status
    from present import measure_table

    catalogue = get_catalogue()
    names = list(pack.league.columns[1:])
    with session_scope(store.engine) as session:
        found = scoring.read(session=session, as_of=pack.as_of, level="district")
    scored = found[found["has_data"].astype(bool)]
    page = measure_table.status_matrix(
        zip(scored["measure"], scored["area"], scored["score"], strict=True),
        measures=list(catalogue.measure_by_code),
        areas=names,
        cell=lambda score, code: w.status_with_figure(score, catalogue.measure(code)),
        missing="no figures loaded",
    )
    page.index = [catalogue.measure(c).title for c in page.index]
    league = pack.league.set_index("Measure")
    icons = {icon: status for status, icon in w.STATUS_ICONS.items()}
    judged = 0
    for title, row in league.iterrows():
        for area, shown in row.items():
            if shown == "–":
                assert page.loc[title, area] == "no figures loaded", (title, area)
                continue
            status: Status = icons[shown.split(words.NBSP)[0]]
            assert page.loc[title, area].startswith(w.status_label(status)), (title, area)
            judged += 1
    assert judged > 0


def test_the_html_pack_is_one_file_with_text_people_wrote_kept_inert(pack):
    page = output.render(pack, "html").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # nothing fetched from outside
    assert page.count("data:image/svg+xml;base64,") >= 2 * len(pack.operations)
    assert f"12 months to {w.month(pack.as_of)}" in page
    assert_inert_html(page, HOSTILE_SHOWN, HOSTILE_FILE_SHOWN)
    assert "default-src 'none'" in page  # a browser fetches nothing for it, even if asked


def test_the_pdf_shows_text_people_wrote_literally(pdf_file):
    text = re.sub(
        r"\s+",
        "",
        _text(
            pdf_file,
        ),
    )
    for written in (HOSTILE_SHOWN, HOSTILE_FILE_SHOWN):
        assert re.sub(r"\s+", "", written) in text  # wrapped anywhere, but every character
    assert RLO not in text


def test_the_workbook_figures_equal_manage_py_export(pack, store, use_store, capsys):
    book = load_workbook(io.BytesIO(output.render(pack, "xlsx")), read_only=True)
    rows = list(book["Monthly figures"].values)[xlsx.HEADER_ROWS :]
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    sheet = sheet[sheet["level"] == "force"]
    use_store(store)
    assert manage.main(["export", "--level", "force", "--to", f"{pack.as_of:%Y-%m}"]) == 0
    exported = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"month": str})
    exported = exported[exported["area"] == pack.area]
    assert len(sheet) == len(exported) > 0
    assert sheet["measure"].tolist() == exported["measure"].tolist()
    assert [f"{m:%Y-%m}" for m in sheet["month"]] == exported["month"].tolist()  # dates
    pd.testing.assert_series_equal(
        sheet["value"].astype(float), exported["value"].astype(float), check_names=False,
        check_index=False,
    )  # fmt: skip
    notes = list(book["Commentary"].values)[xlsx.HEADER_ROWS :]
    header = notes[0]
    civil = next(r for r in notes if r[header.index("Actions")] == "'=1+1")  # neutralised
    assert civil[header.index("What happened")] == f"'{HOSTILE_SHOWN}"  # text, not a formula
    loads = list(book["Loads since"].values)
    assert (f"'{HOSTILE_FILE_SHOWN}",) in [r[:1] for r in loads]
    assert _formulas(output.render(pack, "xlsx")) == []
    assert set(book.sheetnames) >= {"Cover", "Summary", "Exceptions", "District league"}


def test_a_pack_since_the_last_meeting_opens_with_what_changed(store):
    with session_scope(store.engine) as session:
        latest = store_summary(session=session).latest_month
    made = content.build(
        engine=store.engine,
        catalogue=get_catalogue(),
        meeting=shift_month(latest, 1).replace(day=20),
        area="Burnley",
        previous=latest.replace(day=20),  # last month's meeting read the month before
    )
    changes = made.changes
    assert changes.previous_month == shift_month(latest, -1)  # already scored: no wait
    assert changes.loads["is_demo"].tolist() == [True, True]  # the demonstration, and ours
    assert changes.loads["file_name"].iloc[-1] == HOSTILE_FILE
    assert sorted(changes.dip["sample_id"]) == [1, 2]  # both demonstration samples
    assert set(changes.moves["Area"]) <= {"Burnley"}
    assert changes.moves.columns.tolist() == ["Measure", "Area", "Then", "Now", "level", "better"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "'2026-13-01' is not a date in the form YYYY-MM-DD"),
        (["--date", "2026-11-20", "--area", "Atlantis"], "--area: unknown area 'Atlantis'"),
        (["--date", "2026-11-20", "--since", "2026-12-01"], "--since: the last meeting must be"),
    ],
)
def test_pack_command_refuses_bad_arguments(args, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        manage.main(["pack", *args, "--out", str(tmp_path / "x.pdf")])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_pack_command_writes_the_workbook(store, use_store, tmp_path, capsys):
    use_store(store)
    out = tmp_path / "pack.xlsx"
    meeting = date.today().replace(day=1)
    assert manage.main(["pack", "--date", f"{meeting}", "--format", "xlsx", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Wrote the XLSX board pack for Lancashire, 12 months to ")
    assert "(DEMONSTRATION data)" in said
    assert load_workbook(out, read_only=True).sheetnames[0] == "Cover"


def test_the_board_pack_page_makes_a_workbook_to_download(store, use_store):
    use_store(store)
    at = open_page("pages/board-pack.py", area="West")
    next(r for r in at.radio if r.label == "Format").set_value("Excel workbook")
    next(b for b in at.button if b.label == "Make the pack").click()
    at.run()
    assert not at.exception
    said = [s.value for s in at.success]
    assert len(said) == 1 and said[0].startswith("Pack for West, meeting of ")
    assert "Made from DEMONSTRATION data." in said[0]
    actor, action, detail = _audit_rows(store)[-1]
    assert action == "board pack made" and actor in (TEST_ANALYST, "dashboard user")
    assert f"meeting {date.today():%Y-%m-%d}; area West; format xlsx; data to " in detail


def test_the_board_records_an_action_on_the_page_and_scrutiny_may_not(
    store, use_store, monkeypatch
):
    use_store(store)
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "true")
    get_settings.cache_clear()
    at = app_test(account="board secretary", role="board")
    at.switch_page("pages/board-pack.py")
    at.run()
    next(t for t in at.text_area if t.label == "Action or matter arising").input("Ask for a plan")
    next(t for t in at.text_input if t.label.startswith("Owner")).input("Head of Neighbourhood")
    next(b for b in at.button if b.label == "Record the action").click()
    at.run()
    assert not at.exception and not at.error
    said = [s.value for s in at.success]
    assert any(re.fullmatch(r"Action \d+ recorded for Lancashire\.", s) for s in said), said
    with session_scope(store.engine) as session:
        found = actions.listed(session=session)
    row = found[found["what"] == "Ask for a plan"].iloc[0]
    assert (row["recorded_by"], row["raised_at"], row["status"]) == (
        "board secretary",
        date.today(),
        "open",
    )
    scrutiny = app_test(account="pcc officer", role="scrutiny")
    scrutiny.switch_page("pages/board-pack.py")
    scrutiny.run()
    assert not scrutiny.exception
    assert "Record the action" not in [b.label for b in scrutiny.button]
    assert any("may record the board's actions" in c.value for c in scrutiny.caption)


# ------------------------------------------------------- issue 25: a pack a PCC can check


def _book(pack) -> object:
    return load_workbook(io.BytesIO(output.render(pack, "xlsx")))


def _table(sheet) -> pd.DataFrame:
    rows = list(sheet.values)[xlsx.HEADER_ROWS :]
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_every_sheet_opens_with_the_freshness_and_every_table_is_typed_frozen_and_filtered(pack):
    book = _book(pack)
    numbers_as_text = []
    for sheet in book.worksheets:
        assert sheet["A2"].value == words.freshness(pack), sheet.title
        assert pack.area in sheet["A1"].value, sheet.title
        if sheet.title == "Cover":
            continue
        assert sheet.freeze_panes == "A5", sheet.title  # below the header row
        assert sheet.auto_filter.ref.startswith("A4:"), sheet.title
        numbers_as_text += [
            f"{sheet.title}!{c.coordinate}={c.value}"
            for row in sheet.iter_rows(min_row=5)
            for c in row
            if isinstance(c.value, str) and xlsx.PLAIN_NUMBER.match(c.value)
        ]
    assert numbers_as_text == []
    summary = book["Summary"]
    header = [c.value for c in summary[4]]
    for row in summary.iter_rows(min_row=5):
        cell = dict(zip(header, row, strict=True))
        assert isinstance(cell["Latest 12 months"].value, int | float)
        assert cell["Chance of meeting the target"].number_format == "0.0%"
        assert cell["Latest 12 months"].number_format in ("#,##0", "#,##0.0##")
    monthly = book["Monthly figures"]
    assert monthly["D5"].is_date and monthly["D5"].number_format == "mmm yyyy"


def test_monthly_figures_hold_every_level_of_the_area(pack, store):
    monthly = _table(_book(pack)["Monthly figures"])
    catalogue = get_catalogue()
    assert set(monthly["level"]) == {"force", "division", "district"}
    assert set(monthly["area"]) == set(catalogue.area_names())
    west = content.build(
        engine=store.engine, catalogue=catalogue, meeting=pack.meeting, area="West"
    ).monthly
    assert set(west["area"]) == {
        "West",
        *(d.name for d in catalogue.geography.districts_of("West")),
    }


def test_the_league_figures_are_in_the_pdf_and_typed_in_the_workbook(pack, pdf_file, store):
    import scoring

    text = re.sub(r"\s+", "", _text(pdf_file))  # pdftotext may close up a narrow cell
    for cell in pack.league.drop(columns=["Measure"]).to_numpy().ravel():
        for part in cell.split(" · "):  # the icon and figure, then the chance on its own line
            assert re.sub(r"\s+", "", part) in text, cell
    figures = _table(_book(pack)["District figures"]).set_index(["Measure", "District"])
    with session_scope(store.engine) as session:
        found = scoring.read(session=session, as_of=pack.as_of, level="district")
    catalogue = get_catalogue()
    checked = 0
    for code, area, score in zip(found["measure"], found["area"], found["score"], strict=True):
        row = figures.loc[(catalogue.measure(code).title, area)]
        if not w.missing(score.rolling_12m):
            assert row["Latest 12 months"] == pytest.approx(score.rolling_12m)
            assert row["Change on the baseline year"] == pytest.approx(
                score.rolling_12m - score.baseline, nan_ok=True
            )
            checked += 1
    assert checked > 100


def test_the_change_on_the_baseline_is_in_every_measure_as_a_number_and_a_per_cent(pack, pdf_file):
    typed = pack.summary_typed.set_index("Measure")
    text = _flat(_text(pdf_file))
    for op in pack.operations:
        for m in op.measures:
            assert m.baseline_change.startswith("Change on the baseline year: "), m.code
            assert _flat(m.baseline_change) in text, m.code
    asb = get_catalogue().measure("asb_incidents")
    row = typed.loc[asb.title]
    assert row["Change on the baseline year"] == row["Latest 12 months"] - row["Baseline year"]
    assert row["Change on the baseline year (%)"] == pytest.approx(
        row["Latest 12 months"] / row["Baseline year"] - 1
    )
    assert "Change on the baseline year" in pack.summary.columns


def test_the_actions_log_is_carried_to_the_next_meeting(pack, pdf_file):
    shown = pack.actions.set_index("what")["open_at_meeting"].to_dict()
    assert shown == {"Action open": True, "Action closed since": False}
    text = _flat(_text(pdf_file))
    assert "Open at this meeting (1)" in text and "Action open" in text
    assert f"Closed since the last meeting ({w.day(pack.previous)}) (1)" in text
    assert "Action closed before" not in text and "Action later" not in text
    sheet = _table(_book(pack)["Actions"])
    assert sheet["Action"].tolist() == ["Action open", "Action closed since"]
    assert sheet["Raised at"].map(lambda d: isinstance(d, datetime)).all()


def test_the_commentary_written_since_is_a_list_not_a_count(pack, pdf_file):
    written = pack.changes.commentary
    assert "civil_orders" in set(written["measure_code"])
    text = _flat(_text(pdf_file))
    assert "Commentary versions written since" not in text
    assert f"Commentary written since ({len(written)})" in text
    assert get_catalogue().measure("civil_orders").title in text


def test_a_measure_several_operations_share_is_shown_once(pack):
    catalogue = get_catalogue()
    shared = catalogue.measure("public_confidence")
    assert len(shared.operations) == 3
    sections = [m for op in pack.operations for m in op.measures if m.code == shared.code]
    full = [m for m in sections if m.shown_under is None]
    assert len(full) == 1 and len(full[0].figures_drawn) == 2
    first = next(op.name for op in pack.operations if full[0] in op.measures)
    assert [m.shown_under for m in sections if m.shown_under] == [first, first]
    page = output.render(pack, "html").decode("utf-8")
    assert page.count(f'alt="{shared.title}: ') == 2  # its two charts, once
    assert page.count(_flat(words.shown_under(sections[-1]))) == 2


def test_each_measure_has_one_name_the_catalogues_title(pack):
    catalogue = get_catalogue()
    titles = {m.title for m in catalogue.measures.measure}
    book = _book(pack)
    for sheet in book.worksheets:
        if sheet.title in ("Cover", "Dip sample"):
            continue
        table = _table(sheet)
        if "Measure" in table.columns:
            assert set(table["Measure"].dropna()) - {""} <= titles, sheet.title
    shop = catalogue.measure("shoplifting_recorded")
    assert shop.short_title != shop.title
    page = output.render(pack, "html").decode("utf-8")
    assert f">{shop.short_title}<" not in page and f"{shop.title}</td>" in page  # as a name


def _audit_rows(store) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from db.models import AuditEntry

    with session_scope(store.engine) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("board pack%")))
        return [(r.actor, r.action, r.detail) for r in rows]


def test_a_pack_made_on_the_command_line_is_audited(store, use_store, tmp_path):
    use_store(store)
    before = len(_audit_rows(store))
    out = tmp_path / "pack.html"
    args = ["pack", "--date", "2026-11-20", "--area", "Burnley", "--format", "html"]
    assert manage.main([*args, "--out", str(out)]) == 0
    actor, action, detail = _audit_rows(store)[before]
    assert action == "board pack made" and actor
    assert detail.startswith("meeting 2026-11-20; area Burnley; format html; data to ")
    assert detail.endswith("; demonstration data")


def test_a_pack_of_real_police_uk_data_says_its_source_on_every_page_and_sheet(
    policeuk_sqlite, tmp_path
):
    """The four real police.uk street files of ../shared: no demonstration label anywhere,
    the source and freshness on every PDF page and sheet, the workbook typed."""
    made = content.build(
        engine=policeuk_sqlite.engine,
        catalogue=get_catalogue(),
        meeting=date(2024, 5, 20),
        area="East",
    )
    fresh = words.freshness(made)
    assert fresh.startswith("Data to April 2024, loaded ")
    assert fresh.endswith("; source police.uk") and "demonstration" not in fresh
    path = tmp_path / "real.pdf"
    path.write_bytes(output.render(made, "pdf"))
    pages = int(re.search(r"Pages:\s+(\d+)", _info(path)).group(1))
    for page in range(1, pages + 1):
        text = _flat(_text(path, page))
        assert fresh in text, page
        assert "DEMONSTRATION" not in text, page
    assert "No action is open." in _flat(_text(path))
    book = _book(made)
    for sheet in book.worksheets:
        assert sheet["A2"].value == fresh, sheet.title
    monthly = _table(book["Monthly figures"])
    assert set(monthly["level"]) == {"division", "district"}  # East and its districts
    assert monthly["month"].map(lambda d: isinstance(d, datetime)).all()
    assert pd.api.types.is_numeric_dtype(monthly["value"])
    league = _table(book["District figures"])
    assert set(league["District"]) == {
        d.name for d in get_catalogue().geography.districts_of("East")
    }
