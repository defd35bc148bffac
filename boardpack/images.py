"""The pack's charts as SVG images, drawn by plotly's kaleido in the Chromium of the
`CHROMIUM_PATH` setting (nothing is downloaded). One Chromium serves every chart of a pack."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import plotly.graph_objects as go

from config import get_settings

WIDTH, HEIGHT = 760, 360  # pixels of each chart: two side by side on an A4 landscape page
_LOCK = threading.Lock()  # one kaleido server per process
DRAWN_KEPT = 128  # charts kept drawn (a force pack has about 30, each 10-40 kB)


@contextmanager
def chromium() -> Iterator[None]:
    """Start kaleido's Chromium for the charts drawn inside, and stop it after."""
    import kaleido

    os.environ["BROWSER_PATH"] = get_settings().CHROMIUM_PATH
    with _LOCK:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            yield
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def svg(figure: go.Figure) -> str:
    """One chart as an SVG data URI (inside `chromium()`). The same chart is drawn once per
    process: a pack made as PDF and then as HTML draws its charts once."""
    figure = go.Figure(figure).update_layout(legend={"font": {"size": 11}}, font={"size": 12})
    return _drawn(figure.to_json())


@lru_cache(maxsize=DRAWN_KEPT)
def _drawn(spec: str) -> str:
    import kaleido

    image = kaleido.calc_fig_sync(
        json.loads(spec), opts={"format": "svg", "width": WIDTH, "height": HEIGHT, "scale": 1}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(image).decode("ascii")
