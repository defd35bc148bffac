"""Plotly figures. Colours are the Okabe-Ito colour-blind-safe palette, and nothing is shown by
colour alone: special-cause points also differ in marker shape and appear in the legend, and
every chart has a title, axis titles and its figures in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from config.vocabulary import PointType, Unit
from present.chart_gaps import NO_DATA, calendar, gaps, mark_gaps, shade_periods  # noqa: F401

BLUE, ORANGE, VERMILION, GREEN, SKY, GREY, BLACK = (
    "#0072B2",
    "#E69F00",
    "#D55E00",
    "#009E73",
    "#56B4E9",
    "#6E6E6E",
    "#000000",
)
POINT_STYLE = {
    PointType.IMPROVEMENT: ("Special cause: improvement", BLUE, "circle"),
    PointType.CONCERN: ("Special cause: concern", ORANGE, "diamond"),
    PointType.NEUTRAL: ("Special cause: neither good nor bad", GREY, "square"),
}
# axis title by unit
Y_TITLES = {Unit.COUNT: "Number", Unit.HOURS: "Hours", Unit.PERCENT: "Percent"}
LONE_MONTH = pd.Timedelta(days=10)  # half the width of the limit lines of a month alone
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def layout(figure: go.Figure, title: str, x: str, y: str, height: int = 360) -> go.Figure:
    figure.update_layout(
        title={"text": title, "font": {"size": 16}},
        height=height,
        template="plotly_white",
        xaxis_title=x,
        yaxis_title=y,
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        font={"size": 13},
    )
    return figure


def _segmented(chart: pd.DataFrame, column: str) -> tuple[list, list]:
    """x and y of a limit line with a gap at every recalculation point, exceptional period and
    missing month (never a line joined across months with no figure); a month alone between
    gaps gets a short line of its own."""
    xs: list = []
    ys: list = []
    for _, piece in chart.groupby("segment", sort=True):
        starts = ~_follows(piece.index)  # a stretch starts after every missing month
        for _, stretch in piece[column].groupby(starts.cumsum().to_numpy()):
            if xs:
                xs.append(None)
                ys.append(None)
            if len(stretch) == 1:  # one month alone: a short line across its marker
                when = stretch.index[0]
                xs += [when - LONE_MONTH, when + LONE_MONTH]
                ys += [stretch.iat[0]] * 2
            else:
                xs += list(stretch.index)
                ys += list(stretch)
    return xs, ys


def _follows(months: pd.DatetimeIndex) -> pd.Series:
    """True where a month is the calendar month after the one before it."""
    before = months.to_series().shift(1) + pd.offsets.MonthBegin(1)
    return pd.Series(months == before.to_numpy(), index=months)


def month_axis(figure: go.Figure, months: int) -> go.Figure:
    """Month ticks ("Jan 2024") every month, quarter or half year, never times of day,
    however few months there are."""
    step = 1 if months <= 12 else 3 if months <= 36 else 6
    figure.update_xaxes(tickformat="%b %Y", dtick=f"M{step}", hoverformat="%B %Y")
    return figure


def spc_chart(
    chart: pd.DataFrame,
    title: str,
    y_title: str,
    *,
    value_column: str = "judged",
    centre_name: str = "Centre line (mean)",
    baseline: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    notes: Sequence[tuple[pd.Timestamp, str]] = (),
    periods=(),
) -> go.Figure:
    """Monthly values with the centre line and process limits (broken at every recalculation
    point, exceptional period and missing month), special-cause points, provisional months
    hollow, months of exceptional `periods` (first, last, name) as open squares in a shaded,
    named band, months with no data as a band labelled "No data", the baseline year shaded
    and dated notes as numbered markers (their text is listed under the chart)."""
    mature = chart[~chart["provisional"]]
    figure = go.Figure()
    shade_periods(figure, periods, within=chart.index)
    shade_periods(figure, gaps(chart.index), gap=True)
    inside = (
        baseline is not None
        and len(chart) > 0
        and chart.index.min() <= baseline[1]
        and baseline[0] <= chart.index.max()
    )
    if inside:  # shade only the part of the baseline year inside the data's months
        figure.add_vrect(
            x0=max(baseline[0], chart.index.min()),
            x1=min(baseline[1], chart.index.max()),
            fillcolor=SKY,
            opacity=0.12,
            line_width=0,
            annotation_text="Baseline year",
            annotation_position="top left",
        )
    line = mature[value_column]
    if len(line):  # a month with no figure breaks the line: a gap, never a joined-up guess
        line = line.reindex(pd.date_range(line.index.min(), line.index.max(), freq="MS"))
    figure.add_scatter(
        x=line.index,
        y=line,
        mode="lines+markers",
        name="Monthly value",
        line={"color": GREY, "width": 1.5},
        marker={"size": 5, "color": GREY},
    )
    for column, name, dash in (
        ("centre", centre_name, "solid"),
        ("upl", "Upper process limit", "dash"),
        ("lpl", "Lower process limit", "dash"),
    ):
        if chart[column].notna().any():
            xs, ys = _segmented(mature, column) if len(mature) else ([], [])
            figure.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name,
                line={"color": BLACK, "width": 1, "dash": dash},
            )
    held_out = mature[mature["exceptional"]] if "exceptional" in mature else mature.iloc[:0]
    if len(held_out):
        figure.add_scatter(
            x=held_out.index,
            y=held_out[value_column],
            mode="markers",
            name="Exceptional period (not judged)",
            marker={"size": 8, "color": GREY, "symbol": "square-open", "line": {"width": 2}},
        )
    for kind, (name, colour, symbol) in POINT_STYLE.items():
        points = mature[mature["point_type"] == kind]
        if len(points):
            figure.add_scatter(
                x=points.index,
                y=points[value_column],
                mode="markers",
                name=name,
                marker={
                    "size": 10,
                    "color": colour,
                    "symbol": symbol,
                    "line": {"width": 1, "color": BLACK},
                },
            )
    provisional = chart[chart["provisional"]]
    if len(provisional):
        # a dotted line on from the last mature month; hollow markers for the provisional ones
        # (months inside the series, published young: hollow markers alone, no line back)
        trailing = mature.empty or provisional.index.min() > mature.index.max()
        joined = pd.concat([mature.iloc[-1:], provisional]) if trailing else provisional
        figure.add_scatter(
            x=joined.index,
            y=joined[value_column],
            mode="lines+markers" if trailing else "markers",
            name="Provisional (not yet complete)",
            line={"color": GREY, "width": 1.5, "dash": "dot"},
            marker={  # the joining mature month is already drawn: no marker of its own
                "size": [0] * (len(joined) - len(provisional)) + [10] * len(provisional),
                "color": GREY,
                "symbol": "circle-open",
                "line": {"width": 2, "color": GREY},
            },
        )
    if chart["target"].notna().any():
        figure.add_scatter(
            x=chart.index,
            y=chart["target"],
            mode="lines",
            name="Monthly equivalent of the target",
            line={"color": GREEN, "width": 2, "dash": "dot"},
        )
    for number, (when, _) in enumerate(notes, start=1):
        figure.add_vline(x=when, line={"color": VERMILION, "width": 1, "dash": "dot"})
        figure.add_annotation(
            x=when,
            y=1,
            yref="paper",
            text=f"[{number}]",
            showarrow=False,
            font={"color": BLACK, "size": 12},
            bgcolor="white",
            yanchor="bottom",
        )
    return month_axis(layout(figure, title, "Month", y_title, height=400), len(chart))


def rolling_chart(
    rolling: pd.Series,
    trajectory: pd.Series,
    baseline: float,
    forecast,
    target_end: pd.Timestamp,
    title: str,
    y_title: str,
    periods=(),
) -> go.Figure:
    """Rolling 12 months (every calendar month: a window missing a month is a gap, broken and
    marked) against the baseline and the trajectory to the target (neither drawn without a
    baseline), and the forecast; exceptional `periods` (first, last, name) shaded and named."""
    figure = go.Figure()
    rolling = calendar(rolling, last=rolling.index.max() if len(rolling) else None)
    figure.add_scatter(
        x=rolling.index,
        y=rolling,
        mode="lines+markers",
        name="Rolling 12 months",
        line={"color": BLUE, "width": 2.5},
        marker={"size": 3, "color": BLUE},  # a lone complete window between gaps shows
    )
    mark_gaps(figure, rolling, label="No 12-month figure (months missing)")
    shade_periods(figure, periods, within=rolling.index)
    if pd.notna(baseline):
        figure.add_hline(
            y=baseline,
            line={"color": GREY, "dash": "dash"},
            annotation_text="Baseline",
            annotation_position="top left",
        )
    if trajectory.notna().any():
        figure.add_scatter(
            x=trajectory.index,
            y=trajectory,
            mode="lines",
            name=f"Trajectory to the target for the year to {target_end:%B %Y}",
            line={"color": GREEN, "width": 2, "dash": "dot"},
        )
    if forecast is not None and pd.notna(forecast.value):
        figure.add_scatter(
            x=[target_end],
            y=[forecast.value],
            mode="markers",
            name=f"Forecast for the year to {target_end:%B %Y} (80% and 95% intervals)",
            marker={"size": 11, "color": VERMILION, "symbol": "diamond"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [forecast.high95 - forecast.value],
                "arrayminus": [forecast.value - forecast.low95],
                "color": VERMILION,
            },
        )
        figure.add_scatter(
            x=[target_end, target_end],
            y=[forecast.low80, forecast.high80],
            mode="lines",
            showlegend=False,
            line={"color": VERMILION, "width": 6},
        )
    months = len(pd.date_range(rolling.index.min(), target_end, freq="MS")) if len(rolling) else 1
    return month_axis(layout(figure, title, "12 months ending", y_title), months)


def small_multiples(frame: pd.DataFrame, title: str, y_title: str, periods=()) -> go.Figure:
    """One small line chart per area (`area`, `month`, `value` columns), shared axes; every
    calendar month from the first to the last of all areas, a month with no figure a gap,
    broken and shaded with a label; exceptional `periods` shaded and named in each."""
    areas = list(dict.fromkeys(frame["area"]))
    columns = 4
    rows = -(-len(areas) // columns)
    from plotly.subplots import make_subplots

    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=areas,
        shared_xaxes=True,
        shared_yaxes=True,
        vertical_spacing=0.08,
    )
    months = pd.to_datetime(frame["month"])
    for i, area in enumerate(areas):
        mine = frame[frame["area"] == area]
        line = calendar(
            pd.Series(mine["value"].to_numpy(dtype=float), index=months.loc[mine.index]),
            months.min(),
            months.max(),
        )
        where = {"row": i // columns + 1, "col": i % columns + 1}
        figure.add_scatter(
            x=line.index,
            y=line,
            mode="lines",
            name=area,
            line={"color": BLUE, "width": 1.5},
            showlegend=False,
            **where,
        )
        mark_gaps(figure, line, label="gap", **where)
        shade_periods(figure, periods, within=line.index, **where)
    figure.update_layout(
        title={"text": title},
        height=180 * rows + 80,
        template="plotly_white",
        margin={"l": 50, "r": 20, "t": 80, "b": 30},
    )
    figure.update_yaxes(title_text=y_title, col=1)
    return figure


def bar_chart(
    frame: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str
) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=frame[x],
            y=frame[y],
            marker_color=BLUE,
            text=frame[y],
            texttemplate="%{text:,.0f}",
            textposition="outside",
        )
    )
    return layout(figure, title, x_title, y_title)


def heat_map(matrix: pd.DataFrame, title: str) -> go.Figure:
    """Hour x weekday counts, each cell labelled with its number."""
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=WEEKDAY_NAMES,
            y=[f"{h:02d}:00" for h in matrix.index],
            colorscale="Cividis",
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            colorbar={"title": "Incidents"},
            hovertemplate="%{x} %{y}: %{z} incidents<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    return layout(figure, title, "Day of the week", "Hour of the day", height=720)
