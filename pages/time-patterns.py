"""Time patterns: ASB by hour of day and day of week, force-wide and per division, for the
12 months to the chosen month, with the busiest three hours named in words. Where no incident
with a time of day is loaded (police.uk files carry the month only) the page says so and which
file would answer it, instead of drawing an empty heat map."""

from datetime import date

import streamlit as st

from config.vocabulary import Level
from present import charts
from views import page_figures, reads, ui


def no_times_message(title: str, start: date, end: date) -> str:
    """Why an area has no heat map: no incident with a time of day in the 12 months."""
    return (
        f"No ASB incidents with a time of day are loaded for {title} in the 12 months "
        f"{start:%B %Y} to {end:%B %Y}, so there is no heat map. police.uk street files carry "
        "only the month of each incident, not its time or day of the week. A force ASB "
        "incident extract answers this page (one row per incident with its date and time in "
        '`occurred_at`; columns in the README section "Incident extracts"): load one on the '
        "Data store page or with `python manage.py load`."
    )


_, filters = ui.page_header("Time patterns")
cat = reads.catalogue()
baseline = cat.measures.incidents.baseline
start = page_figures.year_start(filters.as_of)
st.markdown(f"### ASB incidents by hour and day, {start:%B %Y} to {filters.as_of:%B %Y}")
st.caption(
    "Counted from incident records with a time of day. Choose another month in the "
    f"sidebar to move the 12 months; {baseline.first:%B %Y} - {baseline.last:%B %Y} (month: "
    f"{baseline.last:%B %Y}) is the period of the plan's Evidence Base tables."
)

if filters.level == Level.DISTRICT:
    areas = [(Level.DISTRICT, filters.area)]
elif filters.level == Level.DIVISION:
    areas = [(Level.DIVISION, filters.area)]
else:
    areas = [(Level.FORCE, cat.geography.force)] + [
        (Level.DIVISION, d.name) for d in cat.geography.division
    ]
matrices = []
for level, area in areas:
    matrix = page_figures.hour_weekday(
        filters.url, filters.version, level=level, area=area, start=start, end=filters.as_of
    )
    title = area if level != "division" else f"{area} division"
    matrices.append((area, title, matrix))

if all(page_figures.matrix_total(matrix) == 0 for _, _, matrix in matrices):
    # One message for the area chosen (its divisions have no times either).
    st.info(no_times_message(matrices[0][1], start, filters.as_of), icon=":material/schedule:")
    st.stop()

plan_first, plan_end = cat.operations.plan_peak_hours
for area, title, matrix in matrices:
    st.subheader(title)
    total = page_figures.matrix_total(matrix)
    if total == 0:
        st.info(no_times_message(title, start, filters.as_of), icon=":material/schedule:")
        continue
    first, last, share = page_figures.peak_window(matrix)
    st.markdown(
        f"**Peak: {first:02d}:00-{last:02d}:00 carries {share:.1%} of ASB** in "
        f"{title} ({total:,} incidents). The plan's peak window, "
        f"{plan_first:02d}:00-{plan_end:02d}:00, carries "
        f"{page_figures.window_share(matrix, plan_first, plan_end):.1%}."
    )
    st.plotly_chart(
        charts.heat_map(matrix, f"ASB incidents by hour and day: {title}"), key=f"heat_{area}"
    )
    with st.expander(f"Figures behind this heat map: {title}"):
        table = matrix.rename(columns=dict(enumerate(charts.WEEKDAY_NAMES)))
        ui.table(table.reset_index(names="Hour"), f"hour by weekday {area} {filters.as_of:%Y-%m}")
