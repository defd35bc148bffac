"""The dashboard's pages and the sidebar's links to them: which pages exist, in which
section (by who they serve), what each needs (`config.access`), where a public account lands
(the Public summary), and the links that carry the area and month from page to page.
`views.ui` draws the rest of the sidebar."""

from __future__ import annotations

import streamlit as st

from auth import Identity
from config.access import Can
from present.wording import code_span
from views import auth as auth_view

AREA, PERIOD, MEASURE = "area", "period", "measure"  # URL query parameters
# (file, title, icon, URL path). A page's file name is its URL path: before the first run of
# app.py, Streamlit resolves a pasted URL against the files in pages/.
# Sections by who each page serves (issue 26); a page's section is where its main readers
# find it. "Operations" holds the operation pages only (pages/overview.py lists them).
NAVIGATION = {
    "For the board": [
        ("pages/overview.py", "Overview", ":material/dashboard:", ""),
        ("pages/districts.py", "Districts", ":material/map:", "districts"),
        ("pages/time-patterns.py", "Time patterns", ":material/schedule:", "time-patterns"),
        ("pages/commentary.py", "Commentary", ":material/edit_note:", "commentary"),
        ("pages/board-pack.py", "Board pack", ":material/picture_as_pdf:", "board-pack"),
    ],
    "Operations": [
        ("pages/centurion.py", "Operation Centurion", ":material/groups:", "centurion"),
        ("pages/on-wheels.py", "Centurion On Wheels", ":material/two_wheeler:", "on-wheels"),
        ("pages/vulture.py", "Operation Vulture", ":material/storefront:", "vulture"),
    ],
    "Oversight": [
        ("pages/dip-sampling.py", "Dip-sampling", ":material/fact_check:", "dip-sampling"),
    ],
    "For analysts": [
        ("pages/data.py", "Data store", ":material/database:", "data"),
        ("pages/definitions.py", "Definitions and targets", ":material/menu_book:", "definitions"),
    ],
    "Administration": [
        ("pages/audit.py", "Audit log", ":material/policy:", "audit"),
        ("pages/accounts.py", "Accounts", ":material/manage_accounts:", "accounts"),
    ],
    "Public": [
        ("pages/public-summary.py", "Public summary", ":material/campaign:", "public-summary"),
    ],
    "Your account": [
        ("pages/account.py", "Your account", ":material/account_circle:", "account"),
    ],
}
PUBLIC_PAGE = "pages/public-summary.py"
LANDING = "navigation.landing"  # session state: this run shows the default page (app.py sets it)
# What each page needs (`config.access`); every other page needs Can.SEE_AGGREGATES. A page
# passes the same to `page_header`; the sidebar lists only the pages its user may open.
PAGE_NEEDS = {
    "pages/public-summary.py": Can.SEE_PUBLIC,
    "pages/audit.py": Can.SEE_AUDIT,
    "pages/account.py": Can.SEE_PUBLIC,  # every signed-in account: its own tokens and password
    "pages/accounts.py": Can.MANAGE_ACCOUNTS,
}


def land_public(who: Identity) -> None:
    """Send an account that may see only the public summary from the default page (where
    everyone lands: the Overview) to the Public summary, instead of refusing it."""
    public_only = who.can(Can.SEE_PUBLIC) and not who.can(Can.SEE_AGGREGATES)
    if public_only and st.session_state.get(LANDING):
        st.switch_page(PUBLIC_PAGE)


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
