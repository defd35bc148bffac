"""The Results tab of the Dip-sampling page: compliance in the chosen area with intervals, each
question across samples drawn as a p-chart, verdicts, and the cases answered no."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.engine import Engine

import dipsampling
from config import Catalogue
from config.vocabulary import PointType
from db.dipsamples import Sample
from db.engine import read_scope
from dipsampling.districts import reviewed_by_area, side_by_side
from metrics.sampling import p_chart
from present import charts
from present import dip_estimate_wording as ew
from present import dip_wording as w
from views import reads, ui

SIGNAL_STYLE = {  # compliance is better higher: above the upper limit is an improvement
    1: charts.POINT_STYLE[PointType.IMPROVEMENT],
    -1: charts.POINT_STYLE[PointType.CONCERN],
}


def p_chart_figure(chart: pd.DataFrame, title: str) -> go.Figure:
    """One question's p-chart (`metrics.sampling.p_chart` rows of that question, oldest sample
    first): compliance per sample, the pooled centre, and limits that step with each sample's
    number of answered cases; a sample outside them marked by shape as well as colour."""
    chart = chart.assign(label=w.sample_axis_labels(chart))
    figure = go.Figure()
    figure.add_scatter(
        x=chart["label"],
        y=chart["rate"],
        mode="lines+markers",
        name="Compliance in the sample",
        line={"color": charts.GREY, "width": 1.5},
        marker={"size": 7, "color": charts.GREY},
        customdata=chart["answered"],
        hovertemplate="%{x}: %{y:.0f}% of %{customdata} answered<extra></extra>",
    )
    figure.add_scatter(
        x=chart["label"],
        y=chart["centre"],
        mode="lines",
        name="Centre (all samples together)",
        line={"color": charts.BLACK, "width": 1},
    )
    for column, name in (("upper", "Upper limit"), ("lower", "Lower limit")):
        figure.add_scatter(
            x=chart["label"],
            y=chart[column],
            mode="lines",
            name=name,
            line={"color": charts.BLACK, "width": 1, "dash": "dash", "shape": "hvh"},
        )
    for signal, (name, colour, symbol) in SIGNAL_STYLE.items():
        points = chart[chart["signal"] == signal]
        if len(points):
            figure.add_scatter(
                x=points["label"],
                y=points["rate"],
                mode="markers",
                name=name,
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": symbol,
                    "line": {"width": 1, "color": charts.BLACK},
                },
            )
    figure.update_yaxes(range=[0, 105], ticksuffix="%")
    figure.update_xaxes(type="category")
    figure = charts.layout(figure, title, "", "Compliance")  # the samples' labels say "Sample"
    return figure.update_layout(legend={"y": -0.3})  # below the two-line sample labels


def draw_trend(
    history: pd.DataFrame, questions: dict[str, str], *, min_answered: int, area: str, key: str
) -> None:
    """Every question's place across comparable samples as a table, and the chosen question's
    p-chart (`history`: `dipsampling.trend` points, by the months sampled)."""
    if history["sample"].nunique() < 2:
        st.write(w.ONE_SAMPLE)
        return
    chart = p_chart(history, min_answered=min_answered)
    asked = [q for q in questions if q in set(chart["question"])]
    if not asked:
        st.write(w.NO_TREND)
        return
    question = st.selectbox(
        "Question to chart",
        asked,
        index=asked.index(w.first_signal(chart, asked)),
        format_func=questions.get,
        key=key,
        help="Opens on the first question whose latest sample is outside its limits.",
    )
    mine = chart[chart["question"] == question]
    st.plotly_chart(
        p_chart_figure(mine, w.p_chart_title(questions[question])),
        key=f"{key}_chart",
    )
    st.caption(w.TREND_CAPTION)
    if not mine["readable"].iloc[-1]:
        st.write(w.too_few_to_read(mine.iloc[-1], area, min_answered))
    ui.static_table(  # a static table: the p-chart's reading wraps instead of being cut off
        w.trend_table(chart, questions).set_index("Question"), "Compliance across samples"
    )


def draw_districts(
    *, table: pd.DataFrame, done: pd.DataFrame, catalogue: Catalogue, sample: Sample, area: str
) -> None:
    """One question (chosen) in every district of `area`, side by side with the force."""
    questions = [q for q in sample.questions if q in set(table["question"])]
    if not questions:
        st.write(w.NO_ANSWERS_IN_AREA.format(area=area))
        return
    question = st.selectbox(
        "Question", questions, format_func=sample.questions.get, key="dip_district_question"
    )
    rows = side_by_side(table[table["question"] == question], catalogue, area)
    min_compare = catalogue.dipsampling.sampling.min_compare
    shown = ew.district_table(rows, reviewed_by_area(done, catalogue), min_compare=min_compare)
    ui.table(shown, "Districts side by side", download=rows)
    st.caption(ew.district_caption(min_compare, weighted=dipsampling.weighted(sample)))


def draw_results(
    *, engine: Engine, catalogue: Catalogue, sample: Sample, area: str, cases: bool
) -> None:
    """Compliance, its trend and the verdicts in `area`; with `cases` (a role that may see
    case detail) also the cases answered no, by reference, for follow-up."""
    district_names = {d.ons_code: d.name for d in catalogue.geography.district}
    with read_scope(engine) as session:
        scope = reads.current_scope()  # access by area (issue 26)
        table = dipsampling.report(
            session=session, catalogue=catalogue, sample_id=sample.id, scope=scope
        )
        done = dipsampling.progress(
            session=session, sample_id=sample.id, questions=list(sample.questions), scope=scope
        )
        follow_up = dipsampling.failures(session=session, sample_id=sample.id, scope=scope)
        history = dipsampling.trend(session=session, catalogue=catalogue, area=area, like=sample)
    in_area = dipsampling.districts_in(catalogue, area)
    st.subheader(f"Compliance in {area}")
    st.write(
        w.review_progress(done)
        + " "
        + w.area_cases(int(done["district_code"].isin(in_area).sum()), area)
    )
    shown = table[table["area"] == area]
    if area not in set(dipsampling.covered(catalogue, sample)["area"]):
        st.write(ew.not_covered(sample, area, district_names))
    elif shown.empty:
        st.write(w.NO_ANSWERS_IN_AREA.format(area=area))
    else:
        ui.table(w.compliance_table(shown), "Compliance", download=shown)
        st.caption(
            w.compliance_caption(
                catalogue.dipsampling.sampling, weighted=dipsampling.weighted(sample)
            )
        )
    st.subheader(f"Districts side by side: {area}")
    draw_districts(table=table, done=done, catalogue=catalogue, sample=sample, area=area)
    st.subheader(f"Across comparable samples in {area}")
    st.write(ew.trend_intro(sample, history.points["sample"].nunique()))
    for line in ew.excluded_lines(history.excluded, district_names):
        st.write(line)
    draw_trend(
        history.points,
        sample.questions,
        min_answered=catalogue.dipsampling.sampling.min_compare,
        area=area,
        key="dip_trend_question",
    )
    st.subheader(f"Verdicts in {area}")
    verdicts = catalogue.dipsampling.verdicts()
    ui.table(w.verdict_table(done[done["district_code"].isin(in_area)], verdicts), "Verdicts")
    st.subheader(f"Answered no in {area}: for follow-up")
    follow_up = follow_up[follow_up["district_code"].isin(in_area)]
    if follow_up.empty:
        st.write(w.NO_FOLLOW_UP)
    elif not cases:  # case detail is for reviewers and analysts only
        st.write(w.follow_up_withheld(follow_up["position"].nunique()))
    else:
        ui.table(w.follow_up_table(follow_up, sample.questions, district_names), "Follow-up")
