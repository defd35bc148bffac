"""Overview: every measure of the three operations for the chosen area, exception first, with
the reason for each status, the figures it is judged on and, for the force or a division, where
the problems are."""

import streamlit as st

from config.models import Status
from config.vocabulary import Level, TargetKind
from present import measure_table
from present import wording as w
from present.window_wording import GAP_MARK
from views import commentary_view, page_figures, reads, ui
from views.navigation import OPERATIONS, page

WATCHED = (Status.MISSED, Status.OFF_TRACK, Status.AT_RISK)

info, filters = ui.page_header("Overview")
cat = reads.catalogue()
geo = cat.geography
st.markdown(f"### {filters.area} · 12 months to {w.month(filters.as_of)}")
rows = reads.overview(filters.url, filters.version, filters.area, filters.as_of)

counts = rows["status"].value_counts()
for column, word in zip(st.columns(len(Status)), Status, strict=True):
    column.metric(
        w.status_label(word), int(counts.get(word, 0)), help=f"Measures {word} in {filters.area}"
    )

if filters.level == Level.FORCE:
    below = [d.name for d in geo.division] + [d.name for d in geo.district]
    levels: tuple[Level, ...] = (Level.DIVISION, Level.DISTRICT)
elif filters.level == Level.DIVISION:
    below = [d.name for d in geo.districts_of(filters.area)]
    levels = (Level.DISTRICT,)
else:
    below, levels = [], ()


def where(code: str) -> str:
    """The divisions and districts below this area that are off track or at risk."""
    found = page_figures.exceptions_below(
        filters.url, filters.version, levels=levels, code=code, as_of=filters.as_of, below=below
    )
    text = "; ".join(
        f"{w.status_label(word)}: {', '.join(found[word])}" for word in WATCHED if found.get(word)
    )
    if text:
        return text
    if set(found) <= {Status.INSUFFICIENT}:
        return "none can be judged yet (insufficient data)"
    return "none off track or at risk"


shown = measure_table.shown(rows, cat)
if levels:
    shown.insert(5, "Where: divisions and districts", [where(c) for c in rows["code"]])
raw = measure_table.raw(rows)
if levels:
    raw["where"] = shown["Where: divisions and districts"].to_numpy()
st.html(measure_table.TABLE_CSS)
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
        if targets == {TargetKind.DIRECTIONAL}
        else ""
    )
    + "SPC variation: whether the latest month shows a real change. SPC assurance: whether "
    "the process as it now runs will meet the target's monthly equivalent; it does not apply "
    "to a target only to beat the baseline (the chance says more). The sparkline is "
    f"drawn in characters, one a calendar month ({GAP_MARK} a month with no figure, a gap); "
    "the download holds the figures."
)
young = [
    f"{cat.measure(code).short_title}: {w.publication_note(score, cat.measure(code))}"
    for code, score in zip(rows["code"], rows["score"], strict=True)
    if w.publication_note(score, cat.measure(code))
]
for note in young:  # outcomes published young: the caveat where the rate is
    st.caption(note)
st.markdown(f"**Commentary in {filters.area}**")
commentary_view.draw_summary(
    commentary_view.notes_in(filters.url, filters.area, filters.as_of),
    rows,
    {m.code: m.title for m in cat.measures.measure},
    filters.area,
)
st.markdown("**Look closer**")
operations = ui.NAVIGATION[OPERATIONS]  # one page for every operation of the catalogue
for column, entry in zip(st.columns(len(operations)), operations, strict=True):
    column.page_link(page(entry), label=entry[1], icon=entry[2], query_params=ui.carried_params())
