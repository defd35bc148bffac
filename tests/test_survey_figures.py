"""Survey measures (public confidence, victim satisfaction) show their respondents and Wilson
95% interval wherever the figure is: the Overview and operation pages, the districts league,
the CSV downloads, the board pack's workbook and `manage.py status`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

import manage
from boardpack import content, output
from config import get_catalogue
from db.engine import session_scope
from db.queries import monthly_values, store_summary
from metrics import periods, scorecard
from metrics.tables import league, overview
from present import measure_table
from present import pack_words as words
from present import wording as w
from tests.conftest import open_page

SURVEYS = ("public_confidence", "victim_satisfaction")
SHOWN = re.compile(r"^\d+\.\d% \(95% interval \d+\.\d% to \d+\.\d%; [\d,]+ respondents[;)]")


@pytest.fixture(scope="module")
def force_scores(demo_sqlite):
    catalogue = get_catalogue()
    with session_scope(demo_sqlite.engine) as session:
        force = monthly_values(session=session, level="force")
        as_of = store_summary(session=session).latest_month
    scores = {
        m.code: scorecard.score_in(
            catalogue, force[force["measure"] == m.code], force, m, "Lancashire", as_of
        )
        for m in catalogue.measures.measure
    }
    return force, scores


def test_a_survey_score_carries_its_respondents_and_wilson_interval(force_scores):
    force, scores = force_scores
    for code in SURVEYS:
        score = scores[code]
        rows = force[force["measure"] == code]
        months = pd.to_datetime(rows["month"])
        last = pd.Timestamp(score.judged_to)
        window = rows[(months > last - pd.DateOffset(months=12)) & (months <= last)]
        assert len(window) == 12 and score.respondents == window["denominator"].sum()
        assert score.respondents > 12 * 100  # a survey of some hundreds a month
        assert score.interval == periods.wilson_interval(
            window["numerator"].sum(), window["denominator"].sum()
        )
        assert score.interval[0] < score.rolling_12m < score.interval[1]
        assert SHOWN.match(w.survey_figure(score, get_catalogue().measure(code)))
    assert w.survey_figure(scores["asb_incidents"], get_catalogue().measure("asb_incidents")) == (
        w.fmt(scores["asb_incidents"].rolling_12m, "count")
    )  # other measures: the figure alone


def test_the_wording_of_a_survey_figure():
    class Stub:
        rolling_12m, interval, respondents = 62.14, (57.31, 66.72), 4912.0

    measure = get_catalogue().measure("public_confidence")
    assert w.survey_figure(Stub(), measure) == (
        "62.1% (95% interval 57.3% to 66.7%; 4,912 respondents)"
    )


def test_the_overview_table_and_its_download_carry_them(force_scores):
    _, scores = force_scores
    rows = overview(scores, scores, get_catalogue())
    shown = measure_table.shown(rows, get_catalogue()).set_index("Measure")
    raw = measure_table.raw(rows).set_index("code")
    for code in SURVEYS:
        title = get_catalogue().measure(code).short_title
        assert SHOWN.match(shown.loc[title, "Latest 12 months"])
        assert raw.loc[code, "respondents"] == scores[code].respondents
        assert raw.loc[code, "interval_95_low"] == round(scores[code].interval[0], 3)
    assert pd.isna(raw.loc["asb_incidents", "respondents"])


def test_the_league_and_its_download_carry_them(force_scores):
    _, scores = force_scores
    measure = get_catalogue().measure("public_confidence")
    table = league({"Lancashire": scores[measure.code]}, get_catalogue(), measure)
    shown, raw = w.league_table(table, measure, "Lancashire", "Area")
    assert SHOWN.match(shown["Latest 12 months"].iloc[0])
    assert list(raw.columns)[2:5] == ["respondents", "interval_95_low", "interval_95_high"]


def test_the_pages_and_the_pack_words_show_them(demo_sqlite, use_store, force_scores):
    use_store(demo_sqlite)
    measure = get_catalogue().measure("public_confidence")
    line = words.figures_line(force_scores[1][measure.code], measure)
    assert SHOWN.match(line.removeprefix("Latest 12 months: "))
    at = open_page()
    table = at.table[0].value.reset_index().set_index("Measure")
    assert SHOWN.match(table.loc["Public confidence", "Latest 12 months"])
    districts = open_page("pages/districts.py", measure="victim_satisfaction")
    assert districts.dataframe[0].value["Latest 12 months"].map(SHOWN.match).all()


def test_the_pack_workbook_carries_them(demo_sqlite):
    catalogue = get_catalogue()
    with session_scope(demo_sqlite.engine) as session:
        latest = store_summary(session=session).latest_month
    pack = content.build(
        engine=demo_sqlite.engine,
        catalogue=catalogue,
        meeting=date(latest.year + (latest.month == 12), latest.month % 12 + 1, 20),
        area=catalogue.geography.force,
    )
    book = load_workbook(io.BytesIO(output.render(pack, "xlsx")), read_only=True)
    rows = list(book["Summary figures"].values)
    sheet = pd.DataFrame(rows[4:], columns=rows[3]).set_index("code")  # title, source, blank
    for code in SURVEYS:
        assert sheet.loc[code, "respondents"] > 12 * 100
        assert sheet.loc[code, "interval_95_low"] < sheet.loc[code, "interval_95_high"]
    score = next(s for s in pack.summary_raw.itertuples() if s.code == "public_confidence")
    assert score.respondents > 0


def test_manage_py_status_carries_them(demo_sqlite, use_store, capsys):
    use_store(demo_sqlite)
    assert manage.main(["status", "--level", "force"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    survey = next(r for r in rows if r["measure"] == "public_confidence")
    assert float(survey["respondents"]) > 12 * 100
    assert (
        float(survey["interval_low"])
        < float(survey["rolling_12m"])
        < float(survey["interval_high"])
    )
    assert next(r for r in rows if r["measure"] == "asb_incidents")["respondents"] == ""
