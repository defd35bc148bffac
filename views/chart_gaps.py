"""Gaps on a chart: a month with no figure is a gap, never joined up and never a zero.

A line is drawn over every calendar month from its first figure to its last (`calendar`), so
a month with no figure is a missing value and plotly breaks the line there (a visible break);
each run of such months is also shaded and labelled on the chart (`mark_gaps`: a mark, not
colour alone). Words come from `views.window_wording`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from views.window_wording import GAP_LABEL, runs

GAP_FILL = "#6E6E6E"  # grey, faint: the shading behind the label
GAP_OPACITY = 0.15


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


def mark_gaps(
    figure: go.Figure, series: pd.Series, *, label: str = GAP_LABEL, **where
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Shade and label each gap of `series` (half a month either side of its months, so a
    single missing month shows); `where` is a subplot's row and col. Returns the runs."""
    found = gap_runs(series)
    half = pd.Timedelta(days=15)
    for first, last in found:
        figure.add_vrect(
            x0=first - half,
            x1=last + half,
            fillcolor=GAP_FILL,
            opacity=GAP_OPACITY,
            line_width=0,
            annotation_text=label,
            annotation_position="bottom left",
            annotation_font={"size": 10},
            **where,
        )
    return found
