"""The Accounts page (issue 26): admins add an account, change its role, set a new password,
disable, enable and unlock it, in the app.

The rules:
- Every action runs in its button's callback, before the page's next run, and only after the
  person's own account is read again (`auth.account_identity`): someone demoted or disabled
  since the page was drawn changes nothing. `db.accounts` audits each change, with the person
  as actor, in the transaction that makes it.
- Passwords are checked by `auth.password_problem`, stored only as argon2 hashes, never shown,
  and emptied from their widgets (so from session state) in the same callback, whatever the
  outcome. A successful "Add" empties the whole form.
- Nobody may disable or demote the last admin that may sign in, themselves included
  (`db.accounts.leaves_no_admin`): the page says why and changes nothing.
- The open demonstration (nobody signed in) lists accounts but manages none: the first admin
  is made with the set-up code or on the server."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

import auth
from config.access import Can, Role
from db import accounts
from db.engine import read_scope, session_scope
from present import accounts_wording as w
from views import account_areas, reads, ui
from views.auth import current_identity
from views.user import current_user

ROLES = [role.value for role in Role]
SAID = "accounts.said"  # session state: (succeeded, message) of the last action
CHOSEN = "accounts.chosen"  # the account the "Change" section acts on
ADD_NAME, ADD_ROLE, ADD_KIND = "accounts.add.name", "accounts.add.role", "accounts.add.kind"
ADD_PASSWORD, ADD_AGAIN = "accounts.add.password", "accounts.add.again"


def _engine():
    return reads.engine(reads.url())


def show() -> None:
    """The page below its header: the accounts, then the forms that change them."""
    st.write(w.INTRO)
    if said := st.session_state.pop(SAID, None):
        ok, text = said
        (st.success if ok else st.error)(text, icon=":material/check_circle:" if ok else None)
    with read_scope(_engine()) as session:
        frame = accounts.listing(session=session)
    if frame.empty:
        st.write(w.NO_ACCOUNTS)
    else:
        ui.table(w.accounts_table(frame, datetime.now()), "Accounts")
    if current_identity().is_open:
        st.info(w.OPEN_DEMO, icon=":material/lock_open:")
        return
    _add_form()
    if not frame.empty:
        _change_section(list(frame["name"]))
        account_areas.show(  # access by area (issue 26)
            engine=_engine(), catalogue=reads.catalogue(), actor=current_user(),
            names=list(frame["name"]),
        )  # fmt: skip


def _tell(ok: bool, text: str) -> None:
    st.session_state[SAID] = (ok, text)


def _actor() -> str | None:
    """The name of the person acting, if their account may manage accounts now."""
    who = current_identity()
    if who.is_open:
        return None
    now = auth.account_identity(engine=_engine(), name=who.name)
    return now.name if now is not None and now.can(Can.MANAGE_ACCOUNTS) else None


def _new_hash(password: str, again: str) -> tuple[str | None, str | None]:
    """(argon2 hash, None) of an acceptable new password, or (None, why not)."""
    problem = auth.password_problem(password)
    if problem:
        return None, w.password_refused(problem)
    if password != again:
        return None, w.PASSWORDS_DIFFER
    return auth.hash_password(password), None


# --- add --------------------------------------------------------------------------------------


def _add_form() -> None:
    st.subheader(w.ADD)
    with st.form("accounts_add", border=True):
        st.text_input(w.NAME, key=ADD_NAME, help=w.NAME_HELP, autocomplete="off")
        st.selectbox(w.ROLE, ROLES, key=ADD_ROLE)
        st.radio(w.KIND, [w.LOCAL, w.PROVIDER], key=ADD_KIND, horizontal=True)
        st.text_input(w.PASSWORD, type="password", key=ADD_PASSWORD, autocomplete="new-password")
        st.text_input(w.AGAIN, type="password", key=ADD_AGAIN, autocomplete="new-password")
        st.form_submit_button(w.ADD_BUTTON, on_click=_add)


def _add() -> None:
    state = st.session_state
    password, again = state.get(ADD_PASSWORD, ""), state.get(ADD_AGAIN, "")
    state[ADD_PASSWORD] = state[ADD_AGAIN] = ""  # never kept, whatever happens next
    actor = _actor()
    if actor is None:
        return _tell(False, w.STILL_ADMIN)
    name, role = auth.clean_name(state.get(ADD_NAME, "")), state.get(ADD_ROLE, Role.PUBLIC.value)
    local = state.get(ADD_KIND, w.LOCAL) == w.LOCAL
    if not name:
        return _tell(False, w.NEEDS_NAME)
    if not local and "@" not in name:
        return _tell(False, w.NEEDS_EMAIL)
    password_hash, problem = _new_hash(password, again) if local else (None, None)
    if problem:
        return _tell(False, problem)
    with session_scope(_engine()) as session:
        if accounts.find(session=session, name=name) is not None:
            return _tell(False, w.exists(name))
        accounts.add(
            session=session, name=name, role=role, password_hash=password_hash, actor=actor
        )
    state[ADD_NAME] = ""
    _tell(True, w.added(name, role))


# --- change -----------------------------------------------------------------------------------


def _change_section(names: list[str]) -> None:
    st.subheader(w.CHANGE)
    name = st.selectbox(w.ACCOUNT, names, key=CHOSEN)
    with read_scope(_engine()) as session:
        row = accounts.find(session=session, name=name)
    if row is None:
        return
    role_col, password_col = st.columns(2)
    with role_col.form(f"accounts_role:{name}"):
        st.selectbox(w.ROLE, ROLES, index=ROLES.index(row.role), key=f"accounts.role:{name}")
        st.form_submit_button(w.ROLE_BUTTON, on_click=_role, args=(name,))
    if row.password_hash is None:
        password_col.caption(w.NO_PASSWORD)
    else:
        with password_col.form(f"accounts_password:{name}"):
            st.text_input(w.NEW_PASSWORD, type="password", key=f"accounts.password:{name}")
            st.text_input(w.AGAIN, type="password", key=f"accounts.again:{name}")
            st.form_submit_button(w.PASSWORD_BUTTON, on_click=_password, args=(name,))
            st.caption(w.PASSWORD_NOTE)
    switch, unlock = st.columns(2)
    if row.disabled:
        switch.button(w.ENABLE, key="accounts_enable", on_click=_switch, args=(name, "enable"))
    else:
        switch.button(w.DISABLE, key="accounts_disable", on_click=_switch, args=(name, "disable"))
    unlock.button(w.UNLOCK, key="accounts_unlock", on_click=_switch, args=(name, "unlock"))


def _change(name: str, done: str, **change) -> None:
    """Make one change to `name` as the person acting, guarding the last admin."""
    actor = _actor()
    if actor is None:
        return _tell(False, w.STILL_ADMIN)
    with session_scope(_engine()) as session:
        before = accounts.find(session=session, name=name)
        if before is None:
            return _tell(False, w.no_such(name))
        guarded = {k: v for k, v in change.items() if k in ("role", "disable")}
        if accounts.leaves_no_admin(session=session, name=name, **guarded):
            return _tell(False, w.last_admin(name, yourself=name == actor))
        failures = accounts.has_failures(session=session, name=name)
        if already := _already(before, change, failures=failures):
            return _tell(False, w.nothing_to_do(name, already))
        accounts.change(session=session, name=name, actor=actor, **change)
    _tell(True, w.changed(name, done))


def _already(before: accounts.AccountRow, change: dict, *, failures: bool) -> str:
    """What the account already is, when the change would do nothing ("" otherwise)."""
    if change.get("role") == before.role:
        return f"{before.role}"
    if change.get("disable") and before.disabled:
        return "disabled"
    if change.get("enable") and not before.disabled:
        return "enabled"
    if change.get("unlock") and not failures:
        return "unlocked"
    return ""


def _role(name: str) -> None:
    role = st.session_state.get(f"accounts.role:{name}")
    _change(name, f"role changed to {role}", role=role)


def _password(name: str) -> None:
    keys = (f"accounts.password:{name}", f"accounts.again:{name}")
    password, again = (st.session_state.get(k, "") for k in keys)
    for key in keys:  # never kept, whatever happens next
        st.session_state[key] = ""
    password_hash, problem = _new_hash(password, again)
    if problem:
        return _tell(False, problem)
    _change(name, "new password set (and unlocked)", password_hash=password_hash)


SWITCHES = {"disable": "disabled", "enable": "enabled", "unlock": "unlocked"}


def _switch(name: str, action: str) -> None:
    _change(name, SWITCHES[action], **{action: True})
