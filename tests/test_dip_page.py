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
from present.dip_wording import first_signal
from tests.conftest import Store, answer_every_case, open_page
from views.dip_results import p_chart_figure

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
        ).points
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
        "Districts side by side: Lancashire",
        "Across comparable samples in Lancashire",
        "Verdicts in Lancashire",
        "Answered no in Lancashire: for follow-up",
    ]


def _by_columns(at, first: str):
    """The st.dataframe whose first column is `first`."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first)


def test_the_draw_form_shows_the_cases_per_district_before_drawing(demo_copy):
    at = open_page(PAGE)
    design = next(r for r in at.radio if r.label == "Design")
    assert design.value == "estimate"  # the configured design
    plan = _by_columns(at, "District")
    names = [d.name for d in get_catalogue().geography.district]
    assert plan["District"].tolist() == [*names, "Total"]
    cases = plan["Cases to review"]
    assert cases.iloc[-1] == cases.iloc[:-1].sum()
    assert cases.iloc[:-1].between(30, 39).all()  # every district about 39 (fewer if small)
    assert set(plan["Precision"].iloc[:-1]) <= {f"±{p} points at most" for p in (14, 15)}
    line = f"This design would draw **{cases.iloc[-1]:,} cases** of {plan['Incidents'].iloc[-1]:,}"
    assert any(m.value.startswith(line) for m in at.markdown)
    with session_scope(demo_copy.engine) as session:
        assert len(dipsamples.samples(session=session)) == 2  # nothing drawn by looking
    next(n for n in at.number_input if n.label.startswith("Precision")).set_value(10.0).run()
    wider = _by_columns(at, "District")["Cases to review"]
    assert wider.iloc[-1] > cases.iloc[-1] and wider.iloc[:-1].max() <= 93


def test_draw_a_sample_then_review_three_cases_and_see_the_results(demo_copy):
    at = open_page(PAGE)
    next(r for r in at.radio if r.label == "Design").set_value("number").run()
    next(n for n in at.number_input if n.label == "Cases").set_value(12)
    next(n for n in at.number_input if n.label == "Seed (0: choose one)").set_value(5)
    assert _by_columns(at.run(), "District")["Cases to review"].iloc[-1] == 12
    next(b for b in at.button if b.label == "Draw the sample").click()
    at.run()
    assert not at.exception
    drawn = [s.value for s in at.success]
    assert len(drawn) == 1 and drawn[0].startswith("Drew sample 3: 12 of ")
    next(b for b in at.button if b.label == "Draw the sample").click()  # the same again
    at.run()
    assert [e.value for e in at.error] == [
        "Not drawn: sample 3 was drawn with seed 5 from the same months, areas, categories and "
        "flags, so this draw would give the same cases again. Choose another seed (0 chooses "
        "one), or review sample 3."
    ]
    with session_scope(demo_copy.engine) as session:
        assert len(dipsamples.samples(session=session)) == 3
    at = open_page(PAGE, sample="3")  # drawn from demonstration incidents: labelled so
    assert any("DEMONSTRATION sample" in x.value for x in at.warning)
    questions = get_catalogue().dipsampling.questions()
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
    follow_up = _by_columns(at, "Case")
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
    problems = _by_columns(at, "Row")
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
    from present import dip_wording

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
            "first_month": pd.to_datetime(["2025-01-01", "2025-04-01", "2025-07-01"]),
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
    assert list(concern.x) == ["Jul-Sep 2025<br>sample 3"] and concern.marker.symbol == "diamond"
    assert first_signal(chart, ["other", "q"]) == "q"
    assert first_signal(chart.assign(signal=0), ["q"]) == "q"


def test_the_districts_are_read_side_by_side_with_the_force(demo_copy):
    catalogue = get_catalogue()
    min_compare = catalogue.dipsampling.sampling.min_compare
    at = open_page(PAGE)
    picked = next(s for s in at.selectbox if s.label == "Question")
    assert picked.value == next(iter(catalogue.dipsampling.questions()))
    table = _by_columns(at, "Area")
    names = [d.name for d in catalogue.geography.district]
    assert table["Area"].tolist() == [catalogue.geography.force, *names]
    assert list(table.columns) == [
        "Area",
        "Cases reviewed",
        "Answered yes or no",
        "Compliance",
        "95% interval",
        "Reading",
    ]
    with session_scope(demo_copy.engine) as session:
        newest = dipsamples.samples(session=session)[0]
        expected = dipsampling.report(session=session, catalogue=catalogue, sample_id=newest.id)
    rows = expected[expected["question"] == picked.value].set_index("area").loc[table["Area"]]
    assert table["Answered yes or no"].tolist() == rows["answered"].tolist()
    assert table["95% interval"].tolist() == [
        f"{lo:.0f}% to {hi:.0f}%" for lo, hi in zip(rows["low"], rows["high"], strict=True)
    ]
    # the estimate design: every district can be read, none wider than +/-15 points
    assert (rows["answered"] >= min_compare).all()
    assert set(table["Reading"]) == {"can be compared"}
    districts = rows.iloc[1:]
    assert ((districts["high"] - districts["low"]) <= 30.0001).all()
    at = open_page(PAGE, area="East")  # a division: the force, East, then its districts
    east = [d.name for d in catalogue.geography.district if d.division == "East"]
    assert _by_columns(at, "Area")["Area"].tolist() == ["Lancashire", "East", *east]


def test_a_small_sample_in_a_district_is_shown_but_not_read_against_the_limits(demo_copy):
    catalogue = get_catalogue()
    min_answered = catalogue.dipsampling.sampling.min_compare
    with session_scope(demo_copy.engine) as session:
        latest = dipsamples.samples(session=session)[0]
        drawn = dipsampling.draw(
            session=session,
            catalogue=catalogue,
            of=dipsamples.Population(
                latest.first_month, latest.last_month, tuple(latest.parameters["districts"])
            ),
            actor="tests",
            size=14,
            seed=77,
        )
        answer_every_case(session=session, sample_id=drawn.sample_id, questions=latest.questions)
    at = open_page(PAGE, area="Burnley", sample=str(drawn.sample_id))
    readings = at.table[0].value["Latest sample (p-chart)"]
    assert set(readings) <= {"too few cases to read against the limits", "–"}
    picked = next(s for s in at.selectbox if s.label == "Question to chart").value
    assert any(
        m.value.startswith("In Burnley the latest sample has ")
        and m.value.endswith(
            f"too few to read against the limits ({min_answered} needed). The points are "
            "shown, not judged."
        )
        for m in at.markdown
    ), picked
    assert any("3 samples in all, placed by the months sampled" in m.value for m in at.markdown)


def test_a_trend_leaves_out_other_populations_and_says_why(one_district_sample):
    catalogue = get_catalogue()
    sample_id = one_district_sample.sample_id
    with session_scope(one_district_sample.store.engine) as session:
        history = dipsampling.trend(session=session, catalogue=catalogue, area="Lancashire")
    assert history.points.empty  # the newest sample is Burnley's alone: no force point
    at = open_page(PAGE)  # the newest sample is shown: Burnley, vulnerable victims only
    texts = [m.value for m in at.markdown]
    assert f"Sample {sample_id} covers Burnley only, not Lancashire as a whole." in texts
    assert any(
        t.startswith("Sample 1 (")
        and "a different population (different areas, different flags)" in t
        for t in texts
    ), texts
    at = open_page(PAGE, sample="2")  # the force's quarter: its line leaves Burnley's out
    texts = [m.value for m in at.markdown]
    assert any(
        t.startswith(f"Sample {sample_id} (")
        and "only incidents flagged vulnerable victim" in t
        and "a different population" in t
        for t in texts
    ), texts
    assert len(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]) == 2


def test_a_caption_states_every_filter_of_its_sample():
    from datetime import date, datetime

    from db.dipsamples import Sample
    from present.dip_wording import sample_caption

    names = {d.ons_code: d.name for d in get_catalogue().geography.district}
    burnley = next(c for c, n in names.items() if n == "Burnley")
    sample = Sample(
        id=4,
        drawn_at=datetime(2026, 3, 2, 10, 30),
        drawn_by="analyst",
        seed=1234,
        first_month=date(2025, 11, 1),
        last_month=date(2026, 1, 1),
        parameters={
            "districts": [burnley],
            "categories": ["nuisance"],
            "flags": ["vulnerable_victim", "repeat_victim"],
            "design": "discovery",
            "allocation": "equal",
            "size": None,
            "margin": 0.07,
            "precision": None,
            "confidence": 0.95,
        },
        population=140,
        size=34,
        questions={},
        is_demo=False,
    )
    assert sample_caption(sample, names) == (
        "Sample 4: November 2025 to January 2026; Burnley; nuisance; only incidents flagged "
        "vulnerable victim and repeat victim. Size: discovery rule: enough cases to find at "
        "least one failure, with 95% confidence, if 7% of incidents failed; shared equally "
        "among districts. 34 of 140 incidents drawn with seed 1234 by analyst on 02 March "
        "2026 10:30. The same seed and filters would draw the same cases again, so such a "
        "draw is refused."
    )
    every = {
        "districts": list(names),
        "categories": [],
        "flags": [],
        "design": "estimate",
        "precision": 0.15,
        "confidence": 0.95,
    }
    assert sample_caption(
        Sample(**{**sample.__dict__, "parameters": every, "first_month": date(2026, 1, 1)}),
        names,
    ).startswith(
        "Sample 4: January 2026; every district of the force; every ASB category; no flag "
        "required. Size: estimate design: enough cases in every district for its 95% interval "
        "to be no wider than ±15 points, fewer in a small district (finite population "
        "correction)."
    )


def test_a_reviewed_case_without_notes_shows_empty_notes_not_nan(demo_sqlite, use_store):
    use_store(demo_sqlite)
    at = open_page(PAGE, sample="2")  # the demonstration's reviews: most answers have no note
    case = next(n for n in at.number_input if n.label == "Case")
    for position in (1, 2, 3):
        case.set_value(position).run()
        notes = [t.value for t in at.text_input if t.label == "Note"]
        assert notes and "nan" not in notes and "None" not in notes, (position, notes)
