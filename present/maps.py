"""The district map: a choropleth from a boundary file, or a tile map (one square per
district) without one. Nothing is shown by colour alone: every district carries its name and
figure as a label, and the same figures are in the league table beside the map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from present.charts import BLACK, GREY, layout
from present.glyphs import GLYPH_URL

LIGHT_SCALE = [[0.0, "#F7FBFF"], [1.0, "#6BAED6"]]  # black labels stay readable on every tile
# Plotly's "white-bg" map style with the label glyphs served by the dashboard itself
# (`present.glyphs`): plotly's own fetches them from fonts.openmaptiles.org.
WHITE_STYLE = {
    "version": 8,
    "sources": {},
    "layers": [{"id": "white-bg", "type": "background", "paint": {"background-color": "#FFF"}}],
    "glyphs": GLYPH_URL,
}


def district_map(
    frame: pd.DataFrame,
    value: str,
    title: str,
    boundaries: dict | None,
    tiles: dict[str, tuple[int, int]],
    centre: tuple[float, float],
    zoom: float,
    colour_title: str = "Rate per 1,000",
) -> go.Figure:
    """A choropleth from a boundary file, or a tile map (one square per district) without one.
    `frame` has `area`, `ons_code`, `label`, `centre` (lat, lon) and the `value` column, and
    optionally `hover`: the tooltip (the status with its figure; default the label)."""
    hover = frame["hover"] if "hover" in frame else frame["label"]
    if boundaries:
        # MapLibre with a plain white style: no map tiles, and label glyphs from the dashboard.
        figure = go.Figure(
            go.Choroplethmap(
                geojson=boundaries,
                locations=frame["ons_code"],
                z=frame[value],
                featureidkey=f"properties.{code_property(boundaries, set(frame['ons_code']))}",
                colorscale=LIGHT_SCALE,
                text=hover,
                hovertemplate="%{text}<extra></extra>",
                colorbar={"title": colour_title},
                marker_line_color=GREY,
                marker_line_width=1,
            )
        )
        figure.add_scattermap(
            lat=[c[0] for c in frame["centre"]],
            lon=[c[1] for c in frame["centre"]],
            mode="text",
            text=frame["label"],
            textfont={"color": BLACK, "size": 11},
            hoverinfo="skip",
            showlegend=False,
        )
        figure.update_layout(
            map={"style": WHITE_STYLE, "center": {"lat": centre[0], "lon": centre[1]}, "zoom": zoom}
        )
        return layout(figure, title, "", "", height=620)
    frame = frame.assign(
        row=frame["area"].map(lambda a: tiles[a][0]), col=frame["area"].map(lambda a: tiles[a][1])
    )
    figure = go.Figure(
        go.Scatter(
            x=frame["col"],
            y=frame["row"],
            mode="markers+text",
            text=frame["label"],
            marker={
                "symbol": "square",
                "size": 84,
                "color": frame[value],
                "colorscale": LIGHT_SCALE,
                "showscale": True,
                "colorbar": {"title": colour_title},
                "line": {"color": GREY, "width": 1},
            },
            textfont={"color": BLACK, "size": 10},
            hovertext=hover,
            hoverinfo="text",
        )
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed")
    return layout(figure, title, "", "", height=520)


def code_property(boundaries: dict, codes: set[str]) -> str:
    """The feature property holding the districts' ONS codes (files name it differently)."""
    features = boundaries.get("features", [])
    for key in features[0].get("properties", {}) if features else {}:
        if {str(f["properties"].get(key)) for f in features} & codes:
            return key
    raise ValueError("the boundary file has no property holding the districts' ONS codes")
