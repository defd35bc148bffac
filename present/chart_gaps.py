"""Gaps and periods on a chart: a month with no figure is a gap, never joined up and never a
zero, and a period not judged (an exceptional period) is shaded and named.

A line is drawn over every calendar month from its first figure to its last (`calendar`), so
a month with no figure is a missing value and plotly breaks the line there (a visible break);
each run of such months is also shaded and labelled on the chart (`mark_gaps`, `gaps` with
`shade_periods`: a mark, not colour alone). Words come from `present.window_wording`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from present.window_wording import GAP_LABEL, runs

GREY, BLACK = "#6E6E6E", "#000000"  # Okabe-Ito grey and black, as in present.charts
NO_DATA = "No data"  # the label of a gap on the SPC chart: months with no figure
HALF_MONTH = pd.Timedelta(days=15)  # a shaded band reaches half a month beyond its months
GAP_OPACITY, PERIOD_OPACITY = 0.10, 0.22  # a gap is shaded fainter than a period not judged

Period = tuple[pd.Timestamp, pd.Timestamp, str]  # first month, last month, label


def calendar(series: pd.Series, first=None, last=None) -> pd.Series:
    """`series` (indexed by month) over every calendar month from `first` (default its first
    figure) to `last` (default its last figure): months with no figure are missing."""
    found = series.dropna()
    if found.empty and (first is None or last is None):
        return series.iloc[:0].astype(float)
    start = pd.Timestamp(first) if first is not None else found.index.min()
    end = pd.Timestamp(last) if last is not None else found.index.max()
    months = pd.date_range(start, end, freq="MS")
    return series.reindex(months).astype(float)


def gap_runs(series: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(first, last) month of each run of missing values after the series' first figure, to
    its end (a series from `calendar`: months with no figure at the end are a gap too)."""
    found = series.dropna()
    if found.empty:
        return []
    inside = series.loc[found.index.min() :]
    return [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in runs(inside.index[inside.isna()])]


def gaps(months: pd.Index, label: str = NO_DATA) -> list[Period]:
    """The runs of calendar months with no figure between the first and the last of `months`,
    as (first, last, label) for `shade_periods`."""
    if len(months) == 0:
        return []
    every = pd.Series(1.0, index=pd.DatetimeIndex(months))
    return [(first, last, label) for first, last in gap_runs(calendar(every))]


def shade_periods(
    figure: go.Figure,
    periods,
    *,
    gap: bool = False,
    within: pd.Index | None = None,
    **where,
) -> go.Figure:
    """Shade each (first month, last month, label) period from half a month before its first
    month to half a month after its last, with its label on the band (never colour alone):
    exceptional periods ("COVID-19 restrictions: not judged") or, with `gap`, months with no
    data ("No data", dotted edges). With `within`, only the part inside those months; `where`
    is a subplot's row and col."""
    for first, last, label in periods:
        first, last = pd.Timestamp(first), pd.Timestamp(last)
        if within is not None and len(within):
            if last < within.min() or first > within.max():
                continue
            first, last = max(first, within.min()), min(last, within.max())
        figure.add_vrect(
            x0=first - HALF_MONTH,
            x1=last + HALF_MONTH,
            fillcolor=GREY,
            opacity=GAP_OPACITY if gap else PERIOD_OPACITY,
            line={"color": GREY, "width": 1, "dash": "dot"} if gap else {"width": 0},
            layer="below",
            annotation_text=label if gap else f"{label}: not judged",
            annotation_position="bottom left" if gap else "top left",
            annotation_textangle=-90 if gap else 0,  # upright: a one-month gap is narrow
            annotation_font={"size": 11, "color": BLACK},
            **where,
        )
    return figure


def mark_gaps(
    figure: go.Figure, series: pd.Series, *, label: str = GAP_LABEL, **where
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Shade and label each gap of `series` (half a month either side of its months, so a
    single missing month shows); `where` is a subplot's row and col. Returns the runs."""
    found = gap_runs(series)
    shade_periods(figure, [(a, b, label) for a, b in found], gap=True, **where)
    return found
