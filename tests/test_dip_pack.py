"""The dip-sample part of the board pack (issue 25) on a copy of the demonstration store: the
districts side by side with the force, per question, with n, compliance and the Wilson
interval in figures and the reading in words; a sample of one district never stands for the
force; and the table in the HTML pack and the workbook."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import dipsampling
from boardpack import content, output, sections
from config import get_catalogue
from db import dipsamples
from db.engine import session_scope
from db.queries import store_summary
from metrics.periods import shift_month
from tests.conftest import Store, answer_every_case, sqlite_copy

COLUMNS = [
    "Question",
    "Area",
    "Cases reviewed",
    "Answered yes or no",
    "Compliance",
    "95% interval",
    "Reading",
]


@pytest.fixture(scope="module")
def store(demo_sqlite: Store, tmp_path_factory) -> Store:
    copy = sqlite_copy(demo_sqlite, tmp_path_factory.mktemp("dippack"))
    yield copy
    copy.close()


def test_the_pack_reads_every_district_beside_the_force_on_every_question(store):
    catalogue = get_catalogue()
    force = catalogue.geography.force
    with session_scope(store.engine) as session:
        found = sections.dip_results(session=session, catalogue=catalogue, area=force)
        newest = dipsamples.samples(session=session)[0]
        report = dipsampling.report(session=session, catalogue=catalogue, sample_id=newest.id)
    table = found.districts
    assert list(table.columns) == COLUMNS
    questions = catalogue.dipsampling.questions()
    names = [d.name for d in catalogue.geography.district]
    assert table["Question"].unique().tolist() == list(questions.values())
    for question in questions.values():
        assert table.loc[table["Question"] == question, "Area"].tolist() == [force, *names]
    first = table[table["Question"] == next(iter(questions.values()))].set_index("Area")
    expected = report[report["question"] == next(iter(questions))].set_index("area")
    assert first["Answered yes or no"].tolist() == expected.loc[first.index, "answered"].tolist()
    assert first.loc["Burnley", "95% interval"] == (
        f"{expected.loc['Burnley', 'low']:.0f}% to {expected.loc['Burnley', 'high']:.0f}%"
    )
    assert first.loc[force, "Cases reviewed"] == newest.size  # every demonstration case
    assert (first["Reading"] == "can be compared").all()  # in words, not colour
    assert "finite population correction" in found.districts_caption
    assert "Sample 2: " in found.caption and "seed" in found.caption
    assert "every district of the force; every ASB category; no flag required" in found.caption


def test_a_division_pack_shows_the_force_the_division_and_its_districts(store):
    catalogue = get_catalogue()
    with session_scope(store.engine) as session:
        found = sections.dip_results(session=session, catalogue=catalogue, area="East")
    east = [d.name for d in catalogue.geography.district if d.division == "East"]
    areas = found.districts.drop_duplicates("Area")["Area"].tolist()
    assert areas == [catalogue.geography.force, "East", *east]


def test_a_sample_of_one_district_does_not_stand_for_the_force(one_district_sample):
    catalogue = get_catalogue()
    latest, sample_id = one_district_sample.latest, one_district_sample.sample_id
    with session_scope(one_district_sample.store.engine) as session:
        answer_every_case(session=session, sample_id=sample_id, questions=latest.questions)
    with session_scope(one_district_sample.store.engine) as session:
        force = sections.dip_results(
            session=session, catalogue=catalogue, area=catalogue.geography.force
        )
        burnley = sections.dip_results(session=session, catalogue=catalogue, area="Burnley")
    assert force.sample.startswith(f"Sample {latest.id}:")  # not the newer Burnley sample
    assert burnley.sample.startswith(f"Sample {sample_id}:")
    assert "only incidents flagged vulnerable victim" in burnley.caption
    assert burnley.districts["Area"].unique().tolist() == ["Burnley"]  # no force row of it


@pytest.fixture(scope="module")
def pack(store: Store) -> content.Pack:
    with session_scope(store.engine) as session:
        latest = store_summary(session=session).latest_month
    return content.build(
        engine=store.engine,
        catalogue=get_catalogue(),
        meeting=shift_month(latest, 1).replace(day=20),
        area=get_catalogue().geography.force,
    )


def test_the_district_table_is_in_the_html_pack_and_the_workbook(pack):
    html = output.render(pack, "html").decode("utf-8")
    section = html[html.index('<section id="dip">') :]
    section = section[: section.index("</section>")]
    assert "<h3>Districts side by side: Lancashire</h3>" in section
    grid = pack.dip.districts_grid  # a row per area, a column per question
    assert len(grid) == pack.dip.districts["Area"].nunique()
    assert list(grid.columns[2:]) == list(dict.fromkeys(pack.dip.districts["Question"]))
    shown = (pack.dip.districts["Reading"] == "can be compared").sum()
    part = section[section.index("Districts side by side") :].split("Follow-up log")[0]
    assert shown and part.count("% to ") == shown  # every figure compared, with its interval
    assert "Ribble Valley" in section and "Cases reviewed" in section
    book = load_workbook(io.BytesIO(output.render(pack, "xlsx")), read_only=True)
    rows = list(book["Dip sample districts"].values)
    assert list(rows[3]) == COLUMNS  # under the title, the source line and a blank row
    assert len(rows) == 4 + len(pack.dip.districts)
    assert rows[4][1] == "Lancashire" and rows[5][1] == "Blackburn with Darwen"
