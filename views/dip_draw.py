"""The Draw a sample tab of the Dip-sampling page: period, places, filters, the design (estimate
every district to a precision, the discovery rule, or a number of cases) and the seed. The cases
each district would give are shown, with the total, before anything is drawn; the draw is
stored and never altered, and a draw repeating an earlier seed and filters is refused."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

import dipsampling
from config import Catalogue
from config.dipsampling import Allocation, Design
from db.dipsamples import FLAGS, Population
from db.engine import read_scope, session_scope
from dipsampling.design import RepeatedDraw
from present import dip_estimate_wording as ew
from present import dip_wording as w
from views import ui
from views.user import current_user

DEFAULT_MONTHS = 3  # the latest three months unless others are chosen
DEFAULT_SIZE = 60


def _percent(value: float) -> Fraction:
    """A percentage typed on the form as the exact fraction it stands for (7 -> 7/100)."""
    return Fraction(repr(float(value))) / 100


def _population(catalogue: Catalogue, first_month, latest_month) -> Population:
    district_names = [d.name for d in catalogue.geography.district]
    months = pd.date_range(first_month, latest_month, freq="MS")
    first, last = st.select_slider(
        "Months",
        options=list(months),
        value=(months[max(len(months) - DEFAULT_MONTHS, 0)], months[-1]),
        format_func=lambda m: m.strftime("%B %Y"),
        key="dip_draw_months",
    )
    places = st.multiselect(
        "Divisions or districts (none: the whole force)",
        [d.name for d in catalogue.geography.division] + district_names,
        key="dip_draw_places",
    )
    categories = st.multiselect(
        "ASB categories (none: every category)",
        catalogue.measures.incident_categories,
        key="dip_draw_categories",
    )
    flags = st.multiselect(
        "Only incidents flagged", list(FLAGS), format_func=w.FLAG_WORDS.get, key="dip_draw_flags"
    )
    return Population(
        first.date(),
        last.date(),
        dipsampling.districts_for(catalogue, places),
        tuple(categories),
        tuple(flags),
    )


def _design(catalogue: Catalogue) -> dict:
    """The design chosen and its settings, as `dipsampling.draw` takes them."""
    settings = catalogue.dipsampling.sampling
    designs = [d.value for d in Design]
    design = Design(
        st.radio(
            "Design",
            designs,
            index=designs.index(settings.design.value),
            format_func=ew.DESIGN_WORDS.get,
            horizontal=True,
            key="dip_draw_design",
            help="Estimate: enough cases in every district to read its compliance. Discovery: "
            "enough cases force-wide to find a failure if a few fail. Number: as many as you "
            "choose.",
        )
    )
    if design == Design.ESTIMATE:
        precision = st.number_input(
            "Precision per district (± percentage points, at 95%)",
            min_value=5.0,
            max_value=50.0,
            value=100 * settings.precision,
            step=1.0,
            key="dip_draw_precision",
        )
        return {"design": design, "precision": _percent(precision)}
    if design == Design.DISCOVERY:
        margin = st.number_input(
            "Failure rate to detect (%)",
            min_value=1.0,
            max_value=20.0,
            value=100 * settings.margin,
            step=0.5,
            key="dip_draw_margin",
        )
        chosen = {"design": design, "margin": _percent(margin)}
    else:
        size = st.number_input("Cases", min_value=1, value=DEFAULT_SIZE, key="dip_draw_size")
        chosen = {"design": design, "size": int(size)}
    allocation = st.radio(
        "Share among districts",
        [a.value for a in Allocation],
        format_func=w.ALLOCATION_WORDS.get,
        horizontal=True,
        key="dip_draw_allocation",
    )
    return chosen | {"allocation": Allocation(allocation)}


def draw_form(*, engine: Engine, catalogue: Catalogue, first_month, latest_month) -> None:
    """The choices, the sizes they give per district, then the button that draws."""
    of = _population(catalogue, first_month, latest_month)
    design = _design(catalogue)
    seed = st.number_input("Seed (0: choose one)", min_value=0, value=0, key="dip_draw_seed")
    names = {d.ons_code: d.name for d in catalogue.geography.district}
    with read_scope(engine) as session:
        plan = dipsampling.preview(session=session, catalogue=catalogue, of=of, **design)
    st.markdown(ew.plan_line(plan.total, plan.population, plan.strata["cases"]))
    ui.table(ew.plan_table(plan.strata, names), "Cases per district", download=plan.strata)
    if not st.button("Draw the sample", type="primary", key="dip_draw_go"):
        return
    try:
        with session_scope(engine) as session:
            drawn = dipsampling.draw(
                session=session,
                catalogue=catalogue,
                of=of,
                actor=current_user(),
                seed=int(seed) or None,
                **design,
            )
    except RepeatedDraw as repeated:
        st.error(ew.repeat_refused(repeated.earlier))
        return
    st.success(w.drawn_line(drawn))
