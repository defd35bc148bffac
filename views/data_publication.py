"""The Data page's publication field: which police.uk publication an uploaded file came from
(`ingest.load`, "Publication"). Left empty, the file's own newest month is taken."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ingest
from config import parse_month
from ingest.load import POLICEUK_KINDS, publication_problem

HELP = (
    "The police.uk publication the file came from: the newest month of the archive or "
    "download (for example 2025-12). A month's outcomes keep changing for months after it "
    "ends, so the dashboard needs to know how old they were when published. Leave it empty "
    "if the file is the newest month of its download."
)


def publication_field(plan: ingest.Plan) -> tuple[date | None, bool]:
    """The publication given for a police.uk file (None: its own newest month) and whether
    it can be loaded with it (a month that is not a month, or earlier than the file's months,
    is said and stops the load)."""
    if plan.kind.name not in POLICEUK_KINDS or not plan.months:
        return None, True
    newest = max(plan.months)
    text = st.text_input(
        "Published (YYYY-MM)", placeholder=f"{newest:%Y-%m}", help=HELP, key="data:published"
    ).strip()
    if not text:
        st.caption(
            f"Outcomes taken as published in {newest:%B %Y}, the file's newest month; give the "
            "publication if the file came from a later download."
        )
        return None, True
    try:
        published = parse_month(text)
    except ValueError as exc:
        st.error(f"Published: {exc}.", icon=":material/block:")
        return None, False
    problem = publication_problem(published, plan.months, "This file")
    if problem:
        st.error(problem + ".", icon=":material/block:")
        return None, False
    return published, True
