"""Districts: a league table of the 14 districts on a chosen measure, a status matrix across the
measures, and a map (a choropleth with a boundary file, otherwise a tile map)."""

import pandas as pd
import streamlit as st

from config import get_settings
from pages import charts, reads, ui

_, filters = ui.page_header("Districts")
cat = reads.catalogue()
codes = list(cat.measure_by_code)
code = ui.url_select(
    "Measure",
    codes,
    param=ui.MEASURE,
    default="asb_incidents",
    key="filter_measure",
    format_func=lambda c: cat.measure(c).title,
)
measure = cat.measure(code)
st.markdown(f"### {measure.short_title} · 12 months to {filters.as_of:%B %Y}")
if filters.level == "district":
    st.info(f"{filters.area} is marked ▶ in the table and named on the map.")

league = reads.league(filters.url, filters.version, "district", code, filters.as_of)
districts = {d.name: d for d in cat.geography.district}
rate = "rate_per_1000" if measure.rate_per_1000 else "rolling_12m"
rate_title = "Rate per 1,000 residents" if measure.rate_per_1000 else "Latest 12 months"
shown = league.assign(
    District=["▶ " + a if a == filters.area else a for a in league["area"]],
    Division=league["area"].map(lambda a: districts[a].division),
    Latest=[ui.fmt(v, measure.unit) for v in league["rolling_12m"]],
    Rate=league[rate].round(2),
    Change=[
        ui.change_text(c, p, measure)
        for c, p in zip(league["change"], league["change_pct"], strict=True)
    ],
    Status=league["status_label"],
)[["District", "Division", "Latest", "Rate", "Change", "Status"]]
ui.table(
    shown.rename(
        columns={
            "Latest": "Latest 12 months",
            "Rate": rate_title,
            "Change": "Change on previous 12 months",
        }
    ),
    f"district league {code} {filters.as_of:%Y-%m}",
)

boundary_path = get_settings().BOUNDARY_FILE
boundaries = reads.boundaries(boundary_path)
map_frame = league.assign(
    ons_code=league["area"].map(lambda a: districts[a].ons_code),
    label=[f"{a}<br>{v:,.1f}" for a, v in zip(league["area"], league[rate], strict=True)],
    centre=league["area"].map(lambda a: districts[a].centre),
)
st.plotly_chart(
    charts.district_map(
        map_frame,
        rate,
        f"{measure.short_title}: {rate_title.lower()} by district, 12 months to "
        f"{filters.as_of:%B %Y}",
        boundaries,
        {d.name: d.tile for d in cat.geography.district},
        cat.geography.map_centre,
        cat.geography.map_zoom,
    ),
    key="district_map",
)
st.caption(
    "The map shows the same figures as the table above."
    + ("" if boundaries else " Set BOUNDARY_FILE for a boundary map.")
)

st.markdown("### Status of every measure in every district")
matrix = {}
for measure_code in codes:
    table = reads.league(filters.url, filters.version, "district", measure_code, filters.as_of)
    matrix[cat.measure(measure_code).short_title] = dict(
        zip(table["area"], table["status_label"], strict=True)
    )
status_frame = pd.DataFrame(matrix).reindex([d.name for d in cat.geography.district])
ui.table(status_frame.reset_index(names="District"), f"district status {filters.as_of:%Y-%m}")
