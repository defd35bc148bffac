"""The dashboard's pages and the sidebar's links to them: which pages exist, in which
section, what each needs (`config.access`), and the links that carry the area and month from
page to page. `views.ui` draws the rest of the sidebar."""

from __future__ import annotations

import streamlit as st

from auth import Identity
from config.access import Can
from views import auth as auth_view
from views.wording import code_span

AREA, PERIOD, MEASURE = "area", "period", "measure"  # URL query parameters
# (file, title, icon, URL path). A page's file name is its URL path: before the first run of
# app.py, Streamlit resolves a pasted URL against the files in pages/.
NAVIGATION = {
    "Board": [
        ("pages/overview.py", "Overview", ":material/dashboard:", ""),
        ("pages/commentary.py", "Commentary", ":material/edit_note:", "commentary"),
        ("pages/board-pack.py", "Board pack", ":material/picture_as_pdf:", "board-pack"),
        ("pages/public-summary.py", "Public summary", ":material/campaign:", "public-summary"),
    ],
    "Operations": [
        ("pages/centurion.py", "Operation Centurion", ":material/groups:", "centurion"),
        ("pages/on-wheels.py", "Centurion On Wheels", ":material/two_wheeler:", "on-wheels"),
        ("pages/vulture.py", "Operation Vulture", ":material/storefront:", "vulture"),
    ],
    "Places and times": [
        ("pages/districts.py", "Districts", ":material/map:", "districts"),
        ("pages/time-patterns.py", "Time patterns", ":material/schedule:", "time-patterns"),
    ],
    "Reference": [
        ("pages/definitions.py", "Definitions and targets", ":material/menu_book:", "definitions"),
        ("pages/data.py", "Data store", ":material/database:", "data"),
    ],
    "Oversight": [
        ("pages/dip-sampling.py", "Dip-sampling", ":material/fact_check:", "dip-sampling"),
    ],
    "Administration": [
        ("pages/audit.py", "Audit log", ":material/policy:", "audit"),
        ("pages/accounts.py", "Accounts", ":material/manage_accounts:", "accounts"),
    ],
}
# What each page needs (`config.access`); every other page needs Can.SEE_AGGREGATES. A page
# passes the same to `page_header`; the sidebar lists only the pages its user may open.
PAGE_NEEDS = {
    "pages/public-summary.py": Can.SEE_PUBLIC,
    "pages/audit.py": Can.SEE_AUDIT,
    "pages/accounts.py": Can.MANAGE_ACCOUNTS,
}


def page_links(who: Identity) -> None:
    """The sidebar's links to every page `who` may open, carrying the area and month, and
    who is signed in."""
    carried = carried_params()
    for section, pages in NAVIGATION.items():
        shown = [p for p in pages if who.can(PAGE_NEEDS.get(p[0], Can.SEE_AGGREGATES))]
        if shown:
            st.caption(section)
        for path, title, icon, _ in shown:
            st.page_link(path, label=title, icon=icon, query_params=carried)
    signed_in_line(who)


def signed_in_line(who: Identity) -> None:
    """Who is signed in, with the sign-out button."""
    st.divider()
    if who.is_open:
        st.caption("Open demonstration: nobody is signed in.")
        return
    st.caption(f"Signed in as {code_span(who.name)} ({who.role_text})")
    st.button("Sign out", on_click=auth_view.sign_out, key="sign_out", icon=":material/logout:")


def carried_params() -> dict[str, str]:
    """The query parameters every page keeps when moving to another (area and month)."""
    return {k: v for k, v in st.query_params.to_dict().items() if k in (AREA, PERIOD)}
