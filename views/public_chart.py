"""The public summary's trend chart: the chosen area's total for each complete half year, as
bars labelled with their figures. A withheld half year has no bar and is labelled "withheld"
in words (never by colour alone); the page shows the same figures in a table beside the chart
and gives the chart a text alternative (`views.public_area_wording.trend_text`)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from views.charts import BLUE, layout
from views.public_wording import WITHHELD


def trend_chart(table: pd.DataFrame, title: str) -> go.Figure:
    """`table`: "Six months" and "Number" (text, as `trend_table` gives it)."""
    numbers = pd.to_numeric(table["Number"].str.replace(",", ""), errors="coerce")
    labels = [WITHHELD if text == WITHHELD else text for text in table["Number"]]
    figure = go.Figure(
        go.Bar(
            x=table["Six months"],
            y=numbers.fillna(0),
            marker_color=BLUE,
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    figure = layout(figure, title, "Six months", "Number")
    figure.update_yaxes(rangemode="tozero")
    return figure
