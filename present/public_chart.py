"""The public summary's trend chart: the chosen area's total for each complete half year, as
bars labelled with their figures. A withheld half year has no bar and is labelled "withheld"
in words (never by colour alone); the page shows the same figures in a table beside the chart
and gives the chart a text alternative (`present.public_area_wording.trend_text`)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from present.charts import BLUE, layout
from present.public_wording import WITHHELD

FEW = 5  # below this highest bar, the axis runs 0 to 5 in ones (not 0.2 steps)


def trend_chart(table: pd.DataFrame, title: str, labels: list[str]) -> go.Figure:
    """`table`: "Six months" and "Number" (text, as `trend_table` gives it); `labels`: the
    half years' short names for the axis ("Apr-Sep 2026")."""
    numbers = pd.to_numeric(table["Number"].str.replace(",", ""), errors="coerce")
    shown = [WITHHELD if text == WITHHELD else text for text in table["Number"]]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=numbers.fillna(0),
            marker_color=BLUE,
            text=shown,
            customdata=table["Six months"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{customdata}: %{text}<extra></extra>",
        )
    )
    figure = layout(figure, title, "Six months", "Number")
    top = numbers.max() if numbers.notna().any() else 0
    figure.update_yaxes(rangemode="tozero", tickformat=",d")  # counts: whole numbers only
    if top < FEW:  # nothing but zeros and withheld half years: an axis of whole numbers
        figure.update_yaxes(range=[0, FEW], dtick=1)
    return figure
