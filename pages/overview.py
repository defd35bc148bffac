"""Overview: every measure of the three operations for the chosen area, exception first, with
the reason for each status, the figures it is judged on and, for the force or a division, where
the problems are."""

import pandas as pd
import streamlit as st

from config.models import Status
from metrics import views
from metrics.status import STATUSES
from pages import reads, ui
from pages import spc_wording as sw
from pages import wording as w

WATCHED = (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK)
# The sparkline (second-last column) in small type, so the words keep the width at 1440 px;
# on a phone only measure, status, reason and latest figure (the download has every column).
TABLE_CSS = (
    "<style>[data-testid='stTable'] td:nth-last-child(2) "
    "{font-size: 9px; white-space: nowrap; letter-spacing: -0.5px;}"
    "@media (max-width: 640px) {[data-testid='stTable'] th:nth-child(n+5), "
    "[data-testid='stTable'] td:nth-child(n+5) {display: none;}}</style>"
)

info, filters = ui.page_header("Overview")
cat = reads.catalogue()
geo = cat.geography
st.markdown(f"### {filters.area} · 12 months to {w.month(filters.as_of)}")
rows = reads.overview(filters.url, filters.version, filters.area, filters.level, filters.as_of)

counts = rows["status"].value_counts()
for column, word in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    column.metric(
        w.status_label(word), int(counts.get(word, 0)), help=f"Measures {word} in {filters.area}"
    )

if filters.level == "force":
    below = [d.name for d in geo.division] + [d.name for d in geo.district]
    levels = ("division", "district")
elif filters.level == "division":
    below = [d.name for d in geo.districts_of(filters.area)]
    levels = ("district",)
else:
    below, levels = [], ()


def where(code: str) -> str:
    """The divisions and districts below this area that are off track or at risk."""
    leagues = {
        level: reads.league(filters.url, filters.version, level, code, filters.as_of)
        for level in levels
    }
    found = views.exceptions_within(leagues, below)
    text = "; ".join(
        f"{w.status_label(word)}: {', '.join(found[word])}" for word in WATCHED if found.get(word)
    )
    if text:
        return text
    if set(found) <= {Status.INSUFFICIENT}:
        return "none can be judged yet (insufficient data)"
    return "none off track or at risk"


shown = pd.DataFrame(
    {
        "Measure": [cat.measure(c).short_title for c in rows["code"]],
        "Status": [w.status_label(s) for s in rows["status"]],
        "Why": [w.chance_of(r.score, cat.measure(r.code)) for r in rows.itertuples()],
        "Latest 12 months": [
            w.latest_12_months(r.score, cat.measure(r.code)) for r in rows.itertuples()
        ],
        "Baseline year": [w.baseline_text(r.score, cat.measure(r.code)) for r in rows.itertuples()],
    }
)
if levels:
    shown["Where: divisions and districts"] = [where(c) for c in rows["code"]]
shown["SPC: variation · assurance"] = [
    f"{sw.VARIATION_SHORT[v]} · {sw.ASSURANCE_SHORT[a]}"
    for v, a in zip(rows["variation"], rows["assurance"], strict=True)
]
shown["Last 24 months"] = [w.sparkline(s) for s in rows["sparkline"]]
shown["Since last month"] = [
    f"was {w.status_label(r.previous_status)}" if r.status_changed else "unchanged"
    for r in rows.itertuples()
]
raw = rows.drop(columns=["score", "sparkline"]).assign(
    status=rows["status"].astype(str), previous_status=rows["previous_status"].astype(str)
)
if levels:
    raw["where"] = shown["Where: divisions and districts"].to_numpy()
st.html(TABLE_CSS)
ui.static_table(shown.set_index("Measure"), "overview", download=raw)
targets = {cat.force_target(m.code).kind for m in cat.measures.measure}
st.caption(
    "Status comes from the chance that the year to "
    f"{w.month(rows['score'].iloc[0].target_end)} meets its target: "
    f"on track at {cat.signals.status.on_track:.0%} or more, off track below "
    f"{cat.signals.status.off_track:.0%}, at risk in between (*Definitions and targets* gives "
    "the rules). "
    + (
        "The plan sets directions, not figures, so each target is to be better than the "
        "baseline year. "
        if targets == {"directional"}
        else ""
    )
    + "SPC variation: whether the latest month shows a real change. SPC assurance: whether "
    "the process as it now runs will meet the target's monthly equivalent. The sparkline is "
    "drawn in characters; the download holds the figures."
)
st.markdown("**Look closer**")
for column, (path, title, icon, _) in zip(st.columns(3), ui.NAVIGATION["Operations"], strict=True):
    column.page_link(path, label=title, icon=icon, query_params=ui.carried_params())
