"""Drawing helpers of the Data page: the load history, and the control that undoes a load."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.text import clean_text
from db.writes import UnloadRefused, unload
from present import completeness
from views import reads, ui
from views.data_load import KIND_TITLES
from views.upload_state import LOADED, UNDONE, with_names
from views.user import current_user


def draw_history(url: str, version: str, *, can_undo: bool) -> None:
    """Every load, newest first, and (`can_undo`: a role that may change data) the control
    that undoes one. File names and who loaded are what people gave: cleaned (names stored
    before names were cleaned on entry), and shown only as plain text (table cells, option
    labels) or code spans (`with_names`)."""
    history = _cleaned(reads.load_history(url, version))
    if history.empty:
        st.write("Nothing has been loaded yet.")
        return
    ui.table(
        completeness.history_table(history, KIND_TITLES),
        "load history",
        column_config={
            "Rows": st.column_config.NumberColumn(format="localized"),
            "What it did": st.column_config.TextColumn(width="large"),
        },
    )
    undone = st.session_state.pop(UNDONE, None)
    if undone:
        st.success(undone, icon=":material/undo:")
    if not can_undo:
        return
    active = history[history["undone_at"].isna() & ~history["is_demo"].astype(bool)]
    st.markdown("**Undo a load**")
    if active.empty:
        st.caption("No real load to undo. Demonstration data are removed by the first real load.")
        return
    labels = {
        int(r.id): f"Load {r.id}: {r.file_name} ({r.loaded_at:%d %b %Y %H:%M}, {r.loaded_by})"
        for r in active.itertuples()
    }
    labels_names = {int(r.id): r.stored_name for r in active.itertuples()}
    chosen = st.selectbox(
        "Load to undo",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choose a load",
        key="data:undo_choice",
        help="Undo removes exactly what the load added and brings back any figures it replaced.",
    )
    if st.button(
        f"Undo load {chosen}" if chosen else "Undo the chosen load",
        disabled=chosen is None,
        icon=":material/undo:",
    ):
        try:
            message = unload(
                engine=reads.engine(url),
                catalogue=reads.catalogue(),
                load_id=chosen,
                actor=current_user(),
            )
        except UnloadRefused as refused:
            st.error(f"Load {chosen} was not undone: {refused}", icon=":material/block:")
            return
        message = with_names(message[:1].upper() + message[1:], labels_names[chosen])
        st.session_state[UNDONE] = message
        st.session_state.pop("data:undo_choice", None)
        st.session_state.pop(LOADED, None)
        st.rerun()


def _cleaned(history: pd.DataFrame) -> pd.DataFrame:
    """The history with its people's text cleaned (`config.text.clean_text`), keeping the
    file name as stored (`stored_name`) to find it in the store's messages."""
    if history.empty:
        return history
    return history.assign(
        stored_name=history["file_name"],
        file_name=history["file_name"].map(_clean),
        loaded_by=history["loaded_by"].map(_clean),
    )


def _clean(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value
