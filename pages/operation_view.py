"""What the three operation pages draw: the SMART objective, then each measure in turn."""

from __future__ import annotations

import streamlit as st

from metrics import views
from metrics.periods import shift_month
from metrics.spc import ASSURANCE_TEXT, VARIATION_TEXT
from pages import charts, reads, ui


def render(operation_code: str) -> None:
    cat = reads.catalogue()
    operation = next(o for o in cat.operations.operation if o.code == operation_code)
    _, filters = ui.page_header(operation.name)
    st.markdown(f"### {filters.area} · 12 months to {filters.as_of:%B %Y}")
    with st.expander("The objective (SMART)", expanded=False):
        st.markdown(
            f"**Specific.** {operation.specific}\n\n**Measurable.**\n"
            + "".join(f"\n- {m}" for m in operation.measurable)
            + f"\n\n**Achievable.** {operation.achievable}\n\n**Relevant.** {operation.relevant}"
            f"\n\n**Time-bound.** {operation.time_bound}"
        )
    measures = [m for m in cat.measures.measure if operation_code in m.operations]
    st.markdown("On this page: " + " · ".join(m.short_title for m in measures))
    for measure in measures:
        st.divider()
        _measure(measure, filters)


def _sentence(measure, detail: dict, area: str) -> str:
    result = detail["score"]
    unit = measure.unit
    better = "higher" if measure.good_direction == "increase" else "lower"
    if result.status == "insufficient data":
        return (
            f"Not enough data to judge yet: the status needs the 12 months to {result.as_of:%B %Y} "
            f"and the baseline year ({measure.baseline.first:%B %Y} to "
            f"{measure.baseline.last:%B %Y}) loaded."
        )
    if measure.small_numbers:
        text = (
            f"{ui.fmt(result.rolling_12m, unit)} in the 12 months to "
            f"{result.as_of:%B %Y} ({ui.fmt(result.previous_12m, unit)} in the 12 months "
            f"before); {ui.fmt(detail['cumulative_since_baseline'], unit)} since October "
            f"2024 and {ui.fmt(detail['cumulative'], unit)} since the data begin. Small "
            "numbers: no percentage change is shown."
        )
    else:
        text = (
            f"{ui.fmt(result.rolling_12m, unit)} in the 12 months to {result.as_of:%B %Y} "
            f"against a baseline of {ui.fmt(result.baseline, unit)}"
        )
        low, high = detail["interval"]
        if measure.aggregation == "survey" and low == low:
            text += f" (95% confidence interval {low:.1f}% to {high:.1f}%)"
        text += "."
    target = (
        f"better ({better}) than the baseline"
        if result.target == result.baseline
        else ui.fmt(result.target, unit)
    )
    text += f" Target for the year to March 2027: {target}."
    forecast = result.forecast
    if forecast.value == forecast.value:
        text += (
            f" Forecast for that year: {ui.fmt(forecast.value, unit)} (95% interval "
            f"{ui.fmt(forecast.low95, unit)} to {ui.fmt(forecast.high95, unit)}); chance "
            f"of meeting the target {forecast.probability:.0%}."
        )
    return text


def _measure(measure, filters: ui.Filters) -> None:
    detail = reads.detail(
        filters.url, filters.version, filters.area, filters.level, measure.code, filters.as_of
    )
    result = detail["score"]
    st.subheader(measure.title)
    if not detail["has_data"]:
        st.info(
            f"ℹ️ No figures for this measure are loaded for {filters.area} yet. It comes from: "
            f"{measure.source}. Load them on the Data page.",
        )
        return
    st.markdown(
        f"**{views.status_label(result.status)}** in {filters.area}. "
        + _sentence(measure, detail, filters.area)
    )
    st.caption(f"{VARIATION_TEXT[result.variation]}. {ASSURANCE_TEXT[result.assurance]}.")
    y_title = {"count": "Number", "hours": "Hours", "percent": "Percent"}[measure.unit]
    left, right = st.columns(2)
    left.plotly_chart(
        charts.spc_chart(
            result.chart, f"{measure.short_title} each month: is the change real?", y_title
        ),
        key=f"spc_{measure.code}",
    )
    if detail["rolling"].empty:
        right.info(
            f"ℹ️ The 12-months-to-date chart starts once 12 months of {measure.short_title.lower()} "
            "are loaded."
        )
    else:
        right.plotly_chart(
            charts.rolling_chart(
                detail["rolling"],
                detail["trajectory"],
                result.baseline,
                result.forecast,
                detail["target_end"],
                f"{measure.short_title}: 12 months to date against the target",
                y_title,
            ),
            key=f"rolling_{measure.code}",
        )
    with st.expander(f"Figures behind these charts: {measure.short_title}"):
        figures = result.chart.reset_index(names="month")
        ui.table(
            figures.assign(month=figures["month"].dt.strftime("%Y-%m"))[
                ["month", "value", "mean", "lpl", "upl", "point_type"]
            ].rename(
                columns={
                    "month": "Month",
                    "value": "Value",
                    "mean": "Mean",
                    "lpl": "Lower limit",
                    "upl": "Upper limit",
                    "point_type": "SPC point",
                }
            ),
            f"{measure.code} monthly {filters.area}",
            height=300,
        )
    _areas(measure, filters)
    if measure.breakdown:
        _categories(measure, filters)


def _areas(measure, filters: ui.Filters) -> None:
    st.markdown(f"**{measure.short_title} by division and district**")
    for level in ("division", "district"):
        league = reads.league(filters.url, filters.version, level, measure.code, filters.as_of)
        if league.empty:
            st.caption(f"No {level} figures are loaded for this measure yet.")
            continue
        shown = league.assign(
            Area=["▶ " + a if a == filters.area else a for a in league["area"]],
            Latest=[ui.fmt(v, measure.unit) for v in league["rolling_12m"]],
            Previous=[ui.fmt(v, measure.unit) for v in league["previous_12m"]],
        )
        columns = {"Area": "Area", "Latest": "Latest 12 months", "Previous": "Previous 12 months"}
        if measure.rate_per_1000:
            shown["Rate"] = league["rate_per_1000"].round(2)
            columns["Rate"] = "Rate per 1,000 residents"
        if not measure.small_numbers:
            shown["Change"] = [
                ui.change_text(c, p, measure)
                for c, p in zip(league["change"], league["change_pct"], strict=True)
            ]
            columns["Change"] = "Change on previous 12 months"
        shown["Status"] = league["status_label"]
        columns["Status"] = "Status"
        ui.table(
            shown[list(columns)].rename(columns=columns),
            f"{measure.code} by {level} {filters.as_of:%Y-%m}",
        )
    monthly = reads.values(filters.url, filters.version, "district", None, (measure.code,))
    st.plotly_chart(
        charts.small_multiples(
            monthly,
            f"{measure.short_title} each month, by district",
            "Number" if measure.unit == "count" else measure.unit.capitalize(),
        ),
        key=f"multi_{measure.code}",
    )


def _categories(measure, filters: ui.Filters) -> None:
    start = shift_month(filters.as_of, -11)
    totals = reads.breakdown(
        filters.url,
        filters.version,
        measure.code,
        filters.level,
        filters.area,
        start,
        filters.as_of,
    )
    name = measure.breakdown.name
    order = {v: i for i, v in enumerate(measure.breakdown.values)}
    totals = totals.sort_values("breakdown", key=lambda s: s.map(order))
    st.plotly_chart(
        charts.bar_chart(
            totals,
            "breakdown",
            "value",
            f"{measure.short_title} by {name}, 12 months to {filters.as_of:%B %Y} ({filters.area})",
            name.capitalize(),
            "Number",
        ),
        key=f"bars_{measure.code}",
    )
    ui.table(
        totals.rename(columns={"breakdown": name.capitalize(), "value": "12 months"}),
        f"{measure.code} by {name} {filters.area}",
    )
