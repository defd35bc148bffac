"""The board pack on a copy of the demonstration store: made once in each format, read back as
a board member would (pdftotext and pdftoppm), its workbook's figures against `manage.py
export`, text people wrote kept inert, and the command line."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import manage
from boardpack import content, output, words, xlsx
from config import get_catalogue
from db import commentary
from db.commentary import Text
from db.engine import session_scope
from db.loads import record_load
from db.queries import store_summary
from metrics.periods import shift_month
from tests.conftest import Store, open_page, sqlite_copy
from tests.test_inert_text import (
    HOSTILE_FILE,
    HOSTILE_FILE_SHOWN,
    HOSTILE_SHOWN,
    HOSTILE_TEXT,
    RLO,
    assert_inert_html,
)
from views import wording as w

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
    yield copy
    copy.close()


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
