"""The Dip-sampling page in AppTest, on a copy of the demonstration store: the demonstration
samples labelled and reported as `dipsampling.report` computes them, a sample drawn from the
form, three cases reviewed in the form, and the results following."""

from __future__ import annotations

import json

import pandas as pd

import dipsampling
from config import get_catalogue
from db import dipsamples
from db.engine import session_scope
from metrics.sampling import p_chart
from tests.conftest import Store, open_page
from views.dip_results import p_chart_figure
from views.dip_wording import first_signal

PAGE = "pages/dip-sampling.py"


def test_demonstration_samples_are_labelled_and_reported_as_computed(demo_copy):
    at = open_page(PAGE)
    assert [t.label for t in at.tabs] == ["Results", "Review a case", "Follow-up", "Draw a sample"]
    assert any("DEMONSTRATION sample" in x.value for x in at.warning)
    with session_scope(demo_copy.engine) as session:
        newest = dipsamples.samples(session=session)[0]
        expected = dipsampling.report(
            session=session, catalogue=get_catalogue(), sample_id=newest.id
        )
        history = dipsampling.trend(
            session=session, catalogue=get_catalogue(), area=get_catalogue().geography.force
        )
    questions = get_catalogue().dipsampling.questions()
    force = expected[expected["area"] == get_catalogue().geography.force]
    shown = at.dataframe[0].value
    assert shown["Question"].tolist() == force["question_text"].tolist()
    assert shown["Yes"].tolist() == force["yes"].tolist()
    assert shown["Compliance"].tolist() == [f"{r:.0f}%" for r in force["rate"]]
    trend = at.table[0].value  # the two demonstration samples, and the p-chart's reading
    assert list(trend.columns)[-1] == "Latest sample (p-chart)"
    assert set(trend["Latest sample (p-chart)"]) <= {
        "above the upper limit: a real rise",
        "below the lower limit: a real fall",
        "within the limits: no sign of real change",
    }
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)  # the p-chart of one question
    picked = next(s for s in at.selectbox if s.label == "Question to chart")
    assert picked.value == first_signal(
        p_chart(history, min_answered=get_catalogue().dipsampling.sampling.min_compare),
        list(questions),
    )
    title = chart["layout"]["title"]["text"]
    assert title == f"{questions[picked.value]}: compliance in each sample"
    assert [t["name"] for t in chart["data"]][:4] == [
        "Compliance in the sample",
        "Centre (all samples together)",
        "Upper limit",
        "Lower limit",
    ]
    assert len(chart["data"][0]["y"]) == 2
    assert [s.value for s in at.subheader] == [
        "Compliance in Lancashire",
        "Across samples in Lancashire",
        "Verdicts in Lancashire",
        "Answered no in Lancashire: for follow-up",
    ]


def test_draw_a_sample_then_review_three_cases_and_see_the_results(demo_copy):
    at = open_page(PAGE)
    size = next(r for r in at.radio if r.label == "Size")
    size.set_value("A number of cases")
    next(n for n in at.number_input if n.label == "Cases").set_value(12)
    next(n for n in at.number_input if n.label == "Seed (0: choose one)").set_value(5)
    next(b for b in at.button if b.label == "Draw the sample").click()
    at.run()
    assert not at.exception
    drawn = [s.value for s in at.success]
    assert len(drawn) == 1 and drawn[0].startswith("Drew sample 3: 12 of ")
    at = open_page(PAGE, sample="3")  # drawn from demonstration incidents: labelled so
    assert any("DEMONSTRATION sample" in x.value for x in at.warning)
    questions = get_catalogue().dipsampling.questions()
    at = open_page(PAGE, sample="3")
    for position, answer in ((1, "yes"), (2, "no"), (3, "yes")):
        # the form shows the first case not yet reviewed, and the next one after each save
        assert next(n for n in at.number_input if n.label == "Case").value == position
        for words in questions.values():
            next(r for r in at.radio if r.label == words).set_value(answer)
        next(s for s in at.selectbox if s.label == "Panel's verdict").set_value("appropriate")
        next(b for b in at.button if b.label == "Save this case").click()
        at.run()
        assert not at.exception
        assert [s.value for s in at.success] == [
            f"Case {position} saved ({len(questions) + 1} answer(s) changed)."
        ]
    at = open_page(PAGE, sample="3")
    assert (
        "3 of 12 cases of the sample reviewed (a verdict given). 12 case(s) of the sample in "
        "Lancashire." in [m.value for m in at.markdown]
    )
    table = at.dataframe[0].value
    assert table["Yes"].tolist() == [2] * len(questions)
    assert table["No"].tolist() == [1] * len(questions)
    assert set(table["Compliance"]) == {"67%"}
    assert set(table["Comparable"]) == {"no: too few cases"}
    follow_up = at.dataframe[2].value
    assert follow_up["Case"].tolist() == [2] * len(questions)


def _sheet(store: Store, sample_id: int) -> bytes:
    from dipsampling import sheets

    with session_scope(store.engine) as session:
        sample = dipsamples.sample(session=session, sample_id=sample_id)
        drawn = dipsamples.cases(session=session, sample_id=sample_id)
        given = dipsamples.answers(session=session, sample_ids=[sample_id])
    names = {d.ons_code: d.name for d in get_catalogue().geography.district}
    return sheets.write(sample, drawn, given, names)


def _edited(content: bytes, cell: str, value: str) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book["Review"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index(cell) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_uploaded_sheet_is_checked_then_recorded(demo_copy):
    content = _sheet(demo_copy, 2)
    at = open_page(PAGE, sample="2")
    at.file_uploader[0].set_value(("bad.xlsx", _edited(content, "risk_assessed", "maybe"), XLSX))
    at.run()
    assert [e.value for e in at.error] == ["bad.xlsx cannot be recorded: nothing was recorded."]
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert problems.iloc[0].tolist() == [
        2,
        "risk_assessed",
        "'maybe' is not one of ['n/a', 'no', 'yes']",
    ]
    at.file_uploader[0].set_value(("good.xlsx", _edited(content, "risk_assessed", "no"), XLSX))
    at.run()
    assert any(s.value.startswith("good.xlsx passed every check") for s in at.success)
    next(b for b in at.button if b.label == "Record these answers").click()
    at.run()
    assert not at.exception
    assert any(s.value.startswith("good.xlsx: 1 answer(s) recorded.") for s in at.success)


def test_a_store_of_police_uk_files_alone_says_why_no_sample_can_be_drawn(
    policeuk_sqlite, use_store
):
    from views import dip_wording

    use_store(policeuk_sqlite)
    at = open_page(PAGE)
    assert [i.value for i in at.info] == [dip_wording.NO_SAMPLES_NO_INCIDENTS]
    texts = [m.value for m in at.markdown]
    assert dip_wording.NO_RESULTS_NO_INCIDENTS in texts
    assert dip_wording.NO_INCIDENTS in texts
    assert dip_wording.NO_RESULTS not in texts  # no invitation to draw what cannot be drawn


def _hand_built_chart() -> pd.DataFrame:
    """Three samples of one question: 80% of 50, 82% of 50, then 40% of 50, below its limit."""
    trend = pd.DataFrame(
        {
            "sample": [1, 2, 3],
            "last_month": pd.to_datetime(["2025-03-01", "2025-06-01", "2025-09-01"]),
            "question": ["q"] * 3,
            "yes": [40, 41, 20],
            "answered": [50, 50, 50],
        }
    )
    return p_chart(trend, min_answered=10)


def test_the_p_chart_marks_a_sample_outside_its_limits_by_shape_and_names_it():
    chart = _hand_built_chart()
    assert chart["signal"].tolist() == [0, 0, -1]
    figure = p_chart_figure(chart, "Risk assessed: compliance in each sample")
    names = [t.name for t in figure.data]
    assert names == [
        "Compliance in the sample",
        "Centre (all samples together)",
        "Upper limit",
        "Lower limit",
        "Special cause: concern",
    ]
    concern = figure.data[-1]
    assert list(concern.x) == ["Sample 3<br>to Sep 2025"] and concern.marker.symbol == "diamond"
    assert first_signal(chart, ["other", "q"]) == "q"
    assert first_signal(chart.assign(signal=0), ["q"]) == "q"


def test_a_district_with_too_few_cases_is_shown_but_not_read_against_the_limits(demo_copy):
    min_answered = get_catalogue().dipsampling.sampling.min_compare
    with session_scope(demo_copy.engine) as session:
        history = dipsampling.trend(session=session, catalogue=get_catalogue(), area="Burnley")
    chart = p_chart(history, min_answered=min_answered)
    latest = chart[chart["sample"] == chart["sample"].max()]
    assert (latest["answered"] < min_answered).all()  # a district holds a few of 59 cases
    at = open_page(PAGE, area="Burnley")
    readings = at.table[0].value["Latest sample (p-chart)"]
    assert set(readings) <= {"too few cases to read against the limits", "–"}
    picked = next(s for s in at.selectbox if s.label == "Question to chart").value
    answered = int(latest.set_index("question").loc[picked, "answered"])
    assert (
        f"In Burnley the latest sample has {answered} answered case(s) of this question: too "
        f"few to read against the limits ({min_answered} needed). The points are shown, not "
        "judged." in [m.value for m in at.markdown]
    )


def test_a_reviewed_case_without_notes_shows_empty_notes_not_nan(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = open_page(PAGE, sample="2")  # the demonstration's reviews: most answers have no note
    case = next(n for n in at.number_input if n.label == "Case")
    for position in (1, 2, 3):
        case.set_value(position).run()
        notes = [t.value for t in at.text_input if t.label == "Note"]
        assert notes and "nan" not in notes and "None" not in notes, (position, notes)
