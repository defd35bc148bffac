"""What the dashboard audits of reading (issue 26): every file that leaves the store through a
page, and every refusal of a page or an action to a signed-in identity.

The rules:
- Every download button on every page is drawn by `download_button`, which records the click
  in the audit log (the button's `on_click` callback, run on the server when it is clicked,
  before the next page run): who, the file's name, the page, the area chosen in the sidebar and
  the caller's `detail` (a measure, a meeting, a sample's number). Never the file's content and
  never a case reference: callers name samples by number and cases not at all. A download with
  its own action in the log (a board pack, a published summary) passes `action` and `entity`,
  so each click is one row.
- A refusal (`refusal`: a page, or an action on it, that the identity's role may not do) is
  audited once per browser session per page and capability, not at every rerun of the page
  (each widget change reruns it); a new browser session (a reload) audits it again.
- The open demonstration is audited too, as LOADED_BY or "dashboard user" (`views.user`)."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import auth
from auth import Identity
from config.access import Can
from db.engine import session_scope
from db.loads import audit
from views import reads

DOWNLOADED = "file downloaded"  # the audit action of a download without its own
PAGE_REFUSED = "page refused"  # a signed-in identity refused a whole page
ACTION_REFUSED = "refused on a page"  # ... or an action drawn on a page it may open
ENTITY_DOWNLOAD = "download"
ENTITY_ACCESS = "access"
HERE = "audit_trail.here"  # session state: (page title, area) of this page run
REFUSED = "audit_trail.refused"  # session state: {(page, capability)} already audited
DOWNLOAD_ICON = ":material/download:"


def here(title: str, area: str | None = None) -> None:
    """Note the page this run draws (and its sidebar area): `views.ui.page_header` calls it."""
    st.session_state[HERE] = (title, area)


def _here() -> tuple[str, str | None]:
    return st.session_state.get(HERE, ("(no page)", None))


def _record(actor: str, action: str, entity: str, detail: str) -> None:
    with session_scope(reads.engine(reads.url())) as session:
        audit(session=session, actor=actor, action=action, entity=entity, detail=detail)


def download_detail(*, file_name: str, page: str, area: str | None, detail: str = "") -> str:
    """The audit row's detail: "file x.csv; page Overview; area Lancashire; <detail>"."""
    parts = [f"file {file_name}", f"page {page}"]
    if area:
        parts.append(f"area {area}")
    if detail:
        parts.append(detail)
    return "; ".join(parts)


def download_button(
    label: str,
    data,
    *,
    file_name: str,
    mime: str | None = None,
    key: str | None = None,
    detail: str = "",
    action: str = DOWNLOADED,
    entity: str | None = None,
    where: DeltaGenerator | None = None,
    actor: str | None = None,
) -> None:
    """st.download_button (in `where`, default the page) whose click is audited: the one way
    a page offers a file."""
    from views.user import current_user  # after the page's gate has set the identity

    page, area = _here()
    (where or st).download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=DOWNLOAD_ICON,
        on_click=_record,
        kwargs={
            "actor": actor or current_user(),
            "action": action,
            "entity": entity or f"{ENTITY_DOWNLOAD} / {page}",
            "detail": download_detail(file_name=file_name, page=page, area=area, detail=detail),
        },
    )


def refusal(who: Identity, needs: Can, *, whole_page: bool = False) -> str:
    """What to say when `who` may not do `needs` (`auth.refusal`), audited once per browser
    session for this page and capability."""
    page, _ = _here()
    done = st.session_state.setdefault(REFUSED, set())
    if not who.is_open and (page, needs) not in done:
        done.add((page, needs))
        _record(
            who.name,
            PAGE_REFUSED if whole_page else ACTION_REFUSED,
            ENTITY_ACCESS,
            f"page {page}: may not {needs} ({who.role_text} role)",
        )
    return auth.refusal(who, needs)
