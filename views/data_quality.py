"""Drawing helpers of the Data page: the quality of police.uk data month by month, and the
revision history of republished months."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from present import completeness
from present import data_wording as dw
from present import wording as w
from views import reads, ui


def draw_quality(url: str, version: str) -> None:
    """Per police.uk month: rows, rows with no location or outside the districts, repeated
    Crime IDs, LSOA vintages, other forces' files skipped, outcome rows; missing months named."""
    table = reads.policeuk_quality(url, version)
    if table.empty:
        st.write("No police.uk file is loaded yet.")
        return
    missing = reads.policeuk_missing_months(url, version)  # gaps between street months
    if missing:
        st.warning(
            "\n".join(f"- {w.missing_month_note(m)}" for m in missing),
            icon=":material/warning:",
        )
    else:
        street = table[table["street_file"]]["month"]
        months = completeness.months_text(street.min(), street.max())
        st.write(f"Every month from {months} has a police.uk street file.")
    shown = table.assign(
        Month=table["month"].map(completeness.month_label),
        Load=table["load_id"].map(lambda v: "–" if pd.isna(v) else f"{int(v)}"),
        **{
            "Street file": [
                dw.street_file(f, k, m in missing)
                for f, k, m in zip(
                    table["street_file"], table["facts_kept"], table["month"], strict=True
                )
            ]
        },
    )
    counted = table["street_file"] & table["facts_kept"]  # street facts are known
    for fact in dw.QUALITY_LABELS:
        known = counted | (fact == "outcome_rows")
        shown[fact] = [f"{n:,}" if ok else "–" for n, ok in zip(table[fact], known, strict=True)]
    shown["Published"] = [
        dw.published_text(m, code)
        for m, code in zip(table["month"], table["published"], strict=True)
    ]
    shown = shown.rename(columns=dw.QUALITY_LABELS)
    columns = ["Month", "Street file", "Load", "Published", *dw.QUALITY_LABELS.values()]
    ui.table(shown[columns], "police.uk data quality")
    st.caption(
        "Each month's facts come from the street file the dashboard counts (the newest load of "
        "the month). Rows with no location or outside the districts count in force totals "
        "only. A repeated Crime ID is kept, as police.uk counts rows. LSOA codes first issued "
        "for the 2021 census are counted as 2021 codes; a month with none is on 2011 "
        "boundaries. Outcome rows are from outcomes files published in that month. Published: the "
        "police.uk publication the month's street file came from and how old the month's "
        "outcomes were then (a month's outcomes are provisional until old enough)."
    )


def draw_revisions(url: str, version: str) -> None:
    """Every republished month: when, by whom, what it replaced and what changed."""
    history = reads.revision_history(url, version)
    if history.empty:
        st.write("No police.uk month has been loaded again with different rows.")
        return
    table = pd.DataFrame(
        {
            "Month": history["month"].map(completeness.month_label),
            "Load": history["load_id"],
            "Loaded": history["loaded_at"].map(lambda t: f"{t:%d %b %Y %H:%M}"),
            "By": history["loaded_by"],
            "Replaced load": history["replaced_load_id"],
            "Rows before": history["rows_before"].map(_count),
            "Rows after": history["rows_after"].map(_count),
            "Records added": history["records_added"].map(_count),
            "Records removed": history["records_removed"].map(_count),
            "Figures changed": history["figures_changed"].map(_count),
            "Undone": history["undone_at"].map(lambda t: "–" if pd.isna(t) else f"{t:%d %b %Y}"),
        }
    )
    ui.table(table, "revision history")
    st.caption(
        "Rows are the files' own; records added and removed compare the rows the dashboard "
        "stores (the crime types it counts). Undoing the newer load brings back the month "
        "as first published; the revision stays here, marked undone."
    )
    draw_revision_changes(url, version, history)


def draw_revision_changes(url: str, version: str, history: pd.DataFrame) -> None:
    """The figures one chosen revision changed, before and after."""
    labels = {
        int(r.load_id): f"Load {r.load_id}: {completeness.month_label(r.month)}"
        for r in history.itertuples()
    }
    chosen = st.selectbox(
        "Figures a revision changed",
        list(labels),
        format_func=labels.get,
        key="data:revision",
    )
    changes = reads.revision_changes(url, version, chosen)
    if changes.empty:
        st.caption("This revision changed no figure.")
        return
    cat = reads.catalogue()
    titles = {m.code: m.short_title for m in cat.measures.measure}
    areas = {d.ons_code: d.name for d in cat.geography.district}
    ui.table(
        pd.DataFrame(
            {
                "Measure": changes["measure"].map(titles),
                "Area": changes["area_code"].map(
                    lambda code: areas.get(code, "Unallocated (force total only)")
                ),
                "Before": [
                    w.fmt(v, cat.measure(m).unit)
                    for v, m in zip(changes["before"], changes["measure"], strict=True)
                ],
                "After": [
                    w.fmt(v, cat.measure(m).unit)
                    for v, m in zip(changes["after"], changes["measure"], strict=True)
                ],
            }
        ),
        "revision changes",
    )


def _count(n) -> str:
    return "–" if pd.isna(n) else f"{int(n):,}"
