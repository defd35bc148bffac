"""What every operation's page (`pages/operation.py`, one for each operation of
config/operations.toml) draws: the SMART objective, then each measure in turn: its
status with the reason, the SPC chart with its reading and notes, the 12 months to date
against the trajectory, and the divisions and districts beside one another."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.access import Can
from config.vocabulary import ChartKind, FileKind, Level, TargetKind
from metrics.periods import shift_month
from present import charts, measure_table
from present import spc_wording as sw
from present import window_wording as ww
from present import wording as w
from views import auth as auth_view
from views import commentary_view, reads, ui
from views.navigation import current_url_path


def render() -> None:
    """The page of the operation this run shows (by its URL path): its objective, a table of
    its measures for the chosen area, then the full charts of one measure (chosen, and kept in
    the URL as `measure`)."""
    ui.within_app()  # before reading which page this is: see `views.start`
    cat = reads.catalogue()
    operation = cat.operations.by_url_path(current_url_path())
    operation_code = operation.code
    _, filters = ui.page_header(operation.name)
    st.markdown(f"### {filters.area} · 12 months to {w.month(filters.as_of)}")
    with st.expander("The objective (SMART)", expanded=False):
        st.markdown(
            f"**Specific.** {operation.specific}\n\n**Measurable.**\n"
            + "".join(f"\n- {m}" for m in operation.measurable)
            + f"\n\n**Achievable.** {operation.achievable}\n\n**Relevant.** {operation.relevant}"
            f"\n\n**Time-bound.** {operation.time_bound}"
        )
    codes = _own_first(cat, operation_code)
    rows = reads.overview(filters.url, filters.version, filters.area, filters.as_of)
    rows = rows[rows["code"].isin(codes)]
    with_data = set(rows.loc[[not r.spc.frame.empty for r in rows["score"]], "code"])
    st.html(measure_table.TABLE_CSS)
    ui.static_table(
        measure_table.shown(rows, cat).set_index("Measure"),
        f"{operation_code} measures {filters.area} {filters.as_of:%Y-%m}",
        download=measure_table.raw(rows),
    )
    st.caption(w.MEASURE_TABLE_NOTE)
    code = ui.url_select(
        "Measure to look at in full",
        codes,
        param=ui.MEASURE,
        default=next((c for c in codes if c in with_data), codes[0]),
        key=f"{operation_code}_measure",
        noun="measure",
        reason="is not a measure of this operation",
        format_func=lambda c: cat.measure(c).title,
        help="Its SPC chart, 12 months to date against the target, divisions and districts.",
    )
    st.divider()
    _measure(cat.measure(code), filters)


def _own_first(cat, operation_code: str) -> list[str]:
    """The operation's measures: its own first (those it leads), then those it shares (public
    confidence), each in catalogue order. The first with figures is drawn unless the link
    names another."""
    ours = [m for m in cat.measures.measure if operation_code in m.operations]
    return [m.code for m in ours if m.operations[0] == operation_code] + [
        m.code for m in ours if m.operations[0] != operation_code
    ]


def _figures(measure, detail) -> str:
    """The figures the status is judged on, in a sentence."""
    result = detail.score
    unit = measure.unit
    baseline = w.period(measure.baseline.first, measure.baseline.last)
    if w.missing(result.rolling_12m):
        text = (
            f"No figure for the 12 months to {w.month(result.judged_to)}: "
            f"{w.latest_12_months(result, measure)}, so they are not judged"
        )
    else:
        figure = w.survey_figure(result, measure)
        text = f"{figure} in the 12 months to {w.month(result.judged_to)}"
    if w.missing(result.baseline):
        text += f"; the baseline year ({baseline}): {w.baseline_text(result, measure)}"
    else:
        text += f"; {w.fmt(result.baseline, unit)} in the baseline year ({baseline})"
    text += (
        f". Target for the year to {w.month(result.target_end)}: {w.target_text(result, measure)}"
    )
    directional = result.target_kind == TargetKind.DIRECTIONAL and not w.missing(result.baseline)
    text += " (better than the baseline)." if directional else "."
    if measure.small_numbers:
        text += (
            f" {w.fmt(detail.cumulative_since_baseline, unit)} since "
            f"{w.month(measure.baseline.first)}"
            f" and {w.fmt(detail.cumulative, unit)} since the data begin. Small numbers: no "
            "percentage change is shown."
        )
    forecast = result.forecast
    if not w.missing(forecast.value):
        text += (
            f" Forecast for that year: {w.fmt(forecast.value, unit)} (95% interval "
            f"{w.fmt(forecast.low95, unit)} to {w.fmt(forecast.high95, unit)})."
        )
    if result.provisional:
        later = (result.as_of.year - result.judged_to.year) * 12
        later += result.as_of.month - result.judged_to.month
        text += f" {w.provisional_note(later, result.judged_to)}"
    young = w.publication_note(result, measure)
    return f"{text} {young}" if young else text


def _notes(measure, area: str, reading) -> list[tuple[pd.Timestamp, str]]:
    """Dated notes inside the chart's months: configured annotations and recalculations, one
    note per month (notes of the same month are joined)."""
    cat = reads.catalogue()
    frame = reading.frame
    if frame.empty:
        return []
    first, last = frame.index.min(), frame.index.max()
    notes = [(pd.Timestamp(a.first), a.text) for a in cat.annotations(measure.code, area)]
    notes += [(s.start, sw.segment_note(s)) for s in reading.segments[1:]]
    # a month police.uk never published is a gap, not a zero
    if FileKind.POLICEUK in measure.sources:
        url = reads.url()
        gone = [
            month
            for month in reads.policeuk_missing_months(url, reads.current_version(url))
            if pd.Timestamp(month) not in frame.index
            or pd.isna(frame.loc[pd.Timestamp(month), "value"])
        ]
        for run_first, run_last in ww.runs(gone):  # one note a run of months, as shaded
            notes.append((pd.Timestamp(run_first), w.missing_months_note(run_first, run_last)))
    by_month: dict[pd.Timestamp, list[str]] = {}
    for when, text in sorted(notes):
        if first <= when <= last:
            by_month.setdefault(when, []).append(text)
    return [(when, " ".join(texts)) for when, texts in by_month.items()]


def _measure(measure, filters: ui.Filters) -> None:
    detail = reads.detail(
        filters.url, filters.version, filters.area, filters.level, measure.code, filters.as_of
    )
    result = detail.score
    st.subheader(measure.title)
    if not detail.has_data:
        st.info(
            f"ℹ️ No figures for this measure are loaded for {filters.area} yet. It comes from: "
            f"{measure.source}. Load them on the Data page.",
        )
        return
    label, _, why = w.reason(result, measure).partition(": ")
    st.markdown(f"**{w.status_label(label)}** in {filters.area}: {why}.")
    commentary_view.draw_beside(
        commentary_view.notes_in(filters.url, filters.area, filters.as_of),
        measure_code=measure.code,
        area=filters.area,
        status=result.status,
    )
    st.markdown(_figures(measure, detail))
    reading = result.spc
    notes = _notes(measure, filters.area, reading)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            charts.spc_chart(
                reading.frame,
                f"{measure.short_title} each month: {sw.spc_title(reading)}",
                charts.Y_TITLES[measure.unit],
                centre_name="Median" if reading.kind == ChartKind.RUN else "Centre line (mean)",
                baseline=(
                    pd.Timestamp(measure.baseline.first),
                    pd.Timestamp(measure.baseline.last),
                ),
                notes=notes,
                periods=reading.exceptional,
            ),
            key=f"spc_{measure.code}",
        )
        st.caption(sw.spc_caption(reading, measure, reads.catalogue().signals.spc))
        if reading.candidates and auth_view.current_identity().can(Can.CHANGE_DATA):
            st.markdown(sw.candidates_note(reading))
        if notes:
            st.markdown(
                "\n".join(
                    f"{i}. {w.month(when)}: {text}" for i, (when, text) in enumerate(notes, 1)
                )
            )
    if detail.rolling.empty:
        right.info(
            f"ℹ️ The 12-months-to-date chart starts once 12 consecutive months of "
            f"{measure.short_title.lower()} are loaded."
        )
    else:
        right.plotly_chart(
            charts.rolling_chart(
                detail.rolling,
                detail.trajectory,
                result.baseline,
                result.forecast,
                detail.target_end,
                f"{measure.short_title}: 12 months to date against the target",
                charts.Y_TITLES[measure.unit],
                periods=reading.exceptional,
            ),
            key=f"rolling_{measure.code}",
        )
    if detail.gaps:
        st.caption(ww.gap_note(detail.gaps) + " " + ww.GAP_CHART_NOTE)
    _chart_figures(measure, reading, filters)
    _areas(measure, filters, reading.exceptional)
    if measure.breakdown:
        _categories(measure, filters)


def _chart_figures(measure, reading, filters: ui.Filters) -> None:
    with st.expander(f"Figures behind these charts: {measure.short_title}"):
        frame = reading.frame
        figures = pd.DataFrame(
            {
                "Month": frame.index.strftime("%Y-%m"),
                "Value": frame["value"].round(1),
                "Centre line": frame["centre"].round(1),
                "Lower limit": frame["lpl"].round(1),
                "Upper limit": frame["upl"].round(1),
                "SPC point": frame["point_type"].map(sw.point_label),
            }
        )
        if reading.seasonal:
            figures.insert(2, "Seasonally adjusted", frame["judged"].round(1).to_numpy())
        ui.table(figures, f"{measure.code} monthly {filters.area}", height=300)


def _areas(measure, filters: ui.Filters, periods=()) -> None:
    st.markdown(f"**{measure.short_title} by division and district**")
    for level in (Level.DIVISION, Level.DISTRICT):
        league = reads.league(filters.url, filters.version, level, measure.code, filters.as_of)
        if league.empty:
            st.caption(f"No {level} figures are loaded for this measure yet.")
            continue
        shown, raw = w.league_table(league, measure, filters.area, level.capitalize())
        ui.table(shown, f"{measure.code} by {level} {filters.as_of:%Y-%m}", download=raw)
    monthly = reads.values(filters.url, filters.version, Level.DISTRICT, None, (measure.code,))
    st.plotly_chart(
        charts.small_multiples(
            monthly,
            f"{measure.short_title} each month, by district",
            charts.Y_TITLES[measure.unit],
            periods=periods,
        ),
        key=f"multi_{measure.code}",
    )
    st.caption(ww.SMALL_MULTIPLES_NOTE)


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
    if totals.empty or not totals["value"].sum():
        policeuk = (
            " police.uk files do not carry it;" if FileKind.POLICEUK in measure.sources else ""
        )
        st.info(
            f"ℹ️ No breakdown by {name} is loaded for {filters.area} in the 12 months to "
            f"{w.month(filters.as_of)}.{policeuk} It comes from: {measure.source}."
        )
        return
    order = {v: i for i, v in enumerate(measure.breakdown.values)}
    totals = totals.sort_values("breakdown", key=lambda s: s.map(order))
    st.plotly_chart(
        charts.bar_chart(
            totals,
            "breakdown",
            "value",
            f"{measure.short_title} by {name}, 12 months to {w.month(filters.as_of)} "
            f"({filters.area})",
            name.capitalize(),
            charts.Y_TITLES[measure.unit],
        ),
        key=f"bars_{measure.code}",
    )
    ui.table(
        totals.rename(columns={"breakdown": name.capitalize(), "value": "12 months"}),
        f"{measure.code} by {name} {filters.area}",
    )
