"""The dashboard's pages and the sidebar's links to them: which pages exist, in which
section (by who they serve), where a public account lands (the Public summary), and the links
that carry the area and month from page to page. What each page needs is `config.access`
(`page_needs`, by URL path); the operations' pages are one script, `pages/operation.py`,
listed once for every operation of config/operations.toml (`sections`). `views.ui` draws the
rest of the sidebar."""

from __future__ import annotations

import streamlit as st

from auth import Identity
from config import Catalogue, get_catalogue
from config.access import Can, page_needs
from present.wording import code_span
from views import auth as auth_view

AREA, PERIOD, MEASURE = "area", "period", "measure"  # URL query parameters
Entry = tuple[str, str, str, str]  # (file, title, icon, URL path)
# A page's file name is its URL path (the operations' one file aside): before the first run of
# app.py, Streamlit resolves a pasted URL against the files in pages/. Sections by who each
# page serves (issue 26); a page's section is where its main readers find it. "Operations"
# holds the operation pages only, drawn from configuration (`sections`; the Overview links
# them).
OPERATIONS = "Operations"
OPERATION_PAGE = "pages/operation.py"  # every operation's page: `views.operation_view`
PAGES: dict[str, list[Entry]] = {
    "For the board": [
        ("pages/overview.py", "Overview", ":material/dashboard:", ""),
        ("pages/districts.py", "Districts", ":material/map:", "districts"),
        ("pages/time-patterns.py", "Time patterns", ":material/schedule:", "time-patterns"),
        ("pages/commentary.py", "Commentary", ":material/edit_note:", "commentary"),
        ("pages/board-pack.py", "Board pack", ":material/picture_as_pdf:", "board-pack"),
    ],
    OPERATIONS: [],  # one for every operation of the catalogue (`sections`)
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
CURRENT = "navigation.page"  # session state: the URL path of the page this run shows


def sections(catalogue: Catalogue) -> dict[str, list[Entry]]:
    """Every page by section, each operation of `catalogue` with its own page (the one
    operation page script at the operation's URL path, with its name and icon), in order."""
    operations = [
        (OPERATION_PAGE, o.name, o.icon, o.url_path) for o in catalogue.operations.operation
    ]
    return {s: operations if s == OPERATIONS else fixed for s, fixed in PAGES.items()}


NAVIGATION = sections(get_catalogue())


def page(entry: Entry) -> st.Page:
    """The page of one entry, as app.py gives it to st.navigation and the sidebar links to it
    (by its URL path: the operations' pages share one file). The Overview ("") is the
    default."""
    path, title, icon, url = entry
    return st.Page(path, title=title, icon=icon, url_path=url or None, default=not url)


def pages(navigation: dict[str, list[Entry]] | None = None) -> dict[str, list[st.Page]]:
    """Every page by section (default: `NAVIGATION`), for st.navigation."""
    chosen = NAVIGATION if navigation is None else navigation
    return {section: [page(e) for e in entries] for section, entries in chosen.items()}


def current_url_path() -> str:
    """The URL path of the page this run shows ("" for the Overview), as app.py noted it."""
    return st.session_state.get(CURRENT, "")


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
    for section, entries in NAVIGATION.items():
        shown = [e for e in entries if who.can(page_needs(e[3]))]
        if shown:
            st.caption(section)
        for entry in shown:
            st.page_link(page(entry), label=entry[1], icon=entry[2], query_params=carried)
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
