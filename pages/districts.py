"""Districts: a league table of the 14 districts on a chosen measure (with the figures each
status is judged on), a map of the same figures, and a status matrix across the measures."""

import streamlit as st

from config import get_settings
from config.vocabulary import Level
from present import maps, measure_table
from present import wording as w
from views import commentary_view, reads, ui

_, filters = ui.page_header("Districts")
cat = reads.catalogue()
codes = list(cat.measure_by_code)
code = ui.url_select(
    "Measure",
    codes,
    param=ui.MEASURE,
    default=codes[0],
    key="filter_measure",
    format_func=lambda c: cat.measure(c).title,
)
measure = cat.measure(code)
st.markdown(f"### {measure.short_title} · 12 months to {w.month(filters.as_of)}")
if filters.level == Level.DISTRICT:
    st.info(f"{filters.area} is marked ▶ in the table and named on the map.")

league = reads.league(filters.url, filters.version, Level.DISTRICT, code, filters.as_of)
districts = {d.name: d for d in cat.geography.district}
if league.empty:
    st.info(
        f"ℹ️ No district figures for {measure.short_title.lower()} are loaded yet. It comes "
        f"from: {measure.source}. Load them on the Data store page."
    )
else:
    shown, raw = w.league_table(league, measure, filters.area, "District")
    shown.insert(1, "Division", league["area"].map(lambda a: districts[a].division))
    ui.table(shown, f"district league {code} {filters.as_of:%Y-%m}", download=raw)
    st.markdown(f"**Commentary on {measure.short_title.lower()} in the districts**")
    commentary_view.draw_by_area(
        commentary_view.notes_in(filters.url, None, filters.as_of),
        measure_code=code,
        areas=reads.current_scope().keep(list(districts)),  # access by area (issue 26)
    )

    value = "rate_per_1000" if measure.rate_per_1000 else "rolling_12m"
    value_title = "rate per 1,000 residents" if measure.rate_per_1000 else "latest 12 months"
    mapped = league[league[value].notna()]
    boundaries = reads.boundaries(get_settings().BOUNDARY_FILE)
    if mapped.empty:
        st.info(
            f"ℹ️ No district has a {value_title} figure for the 12 months to "
            f"{w.month(filters.as_of)} yet (12 months of data are needed), so there is no map."
        )
    else:
        labels = [
            f"{a}<br>{v:,.2f}" if measure.rate_per_1000 else f"{a}<br>{w.fmt(v, measure.unit)}"
            for a, v in zip(mapped["area"], mapped[value], strict=True)
        ]
        st.plotly_chart(
            maps.district_map(
                mapped.assign(
                    ons_code=mapped["area"].map(lambda a: districts[a].ons_code),
                    label=labels,
                    hover=[
                        f"{a}<br>{w.status_with_figure(score, measure)}"
                        for a, score in zip(mapped["area"], mapped["score"], strict=True)
                    ],
                    centre=mapped["area"].map(lambda a: districts[a].centre),
                ),
                value,
                f"{measure.short_title}: {value_title} by district, 12 months to "
                f"{w.month(filters.as_of)}",
                boundaries,
                {d.name: d.tile for d in cat.geography.district},
                cat.geography.map_centre,
                cat.geography.map_zoom,
                colour_title=value_title.capitalize(),
            ),
            key="district_map",
        )
        missing = len(league) - len(mapped)
        st.caption(
            "The map shows the same figures as the table above."
            + (f" {missing} district(s) without a figure are left blank." if missing else "")
            + ("" if boundaries else " Set BOUNDARY_FILE for a boundary map.")
        )

st.markdown("### Status of every measure in every district")
names = reads.current_scope().keep([d.name for d in cat.geography.district])  # issue 26
matrix = measure_table.status_matrix(
    [
        (measure_code, row.area, row.score)
        for measure_code in codes
        for row in reads.league(
            filters.url, filters.version, "district", measure_code, filters.as_of
        ).itertuples()
    ],
    measures=codes,
    areas=names,
    cell=lambda score, measure_code: w.status_with_figure(score, cat.measure(measure_code)),
    missing="no figures loaded",
)
status_frame = matrix.rename(index=lambda c: cat.measure(c).short_title).T
status_frame = status_frame.rename_axis(index="District", columns=None)
ui.table(status_frame.reset_index(), f"district status {filters.as_of:%Y-%m}")
st.caption(
    "Each status is judged on the chance (in brackets) that the district meets its target for "
    "the year; beside it, the district's latest 12 months and its baseline year (counts, never "
    "a percentage change). The league table above shows every figure for the chosen measure."
)
