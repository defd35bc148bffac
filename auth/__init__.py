"""Who is asking, and may they (issue 14): identities, local sign-in with argon2 hashes,
throttled (`auth.throttle`, issue 26), the password rule (`auth.passwords`), the role an
identity-provider user has, and the identity of the command line (proven: `auth.proof`,
issue 26).

The rules: the open demonstration (the store has no account at all, `DASHBOARD_REQUIRE_LOGIN`
off) needs no sign-in and may do everything, and says so on every page; otherwise every page and
command needs an account whose role may do what it asks (`config.access`)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from auth import throttle
from auth.areas import identity_areas
from auth.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH  # noqa: F401 (re-exported)
from auth.passwords import password_problem as password_problem
from config import Settings, get_settings
from config.access import OPEN_DEMO_ROLES, Can, Role, allowed, roles_that
from config.text import clean_text
from db import accounts
from db.engine import read_scope, session_scope

NAME_LENGTH = 120  # accounts.name and the audit log's actor
OPEN_DEMO_USER = "dashboard user"  # recorded for changes made in the open demonstration
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters
_DUMMY_HASH = _HASHER.hash("not a password anyone has")  # same work for an unknown name
# Every refused sign-in says this, whatever the reason: a wrong password, no such name, a
# disabled account, or a delay after failures (issue 26: nothing tells which names exist).
SIGNIN_REFUSED = (
    "That name and password do not match an account that may sign in, or there have been "
    "too many failed attempts: wait a few minutes and try again."
)


@dataclass(frozen=True)
class Identity:
    """Someone using the dashboard or the command line: `roles` is one role for an account,
    every role for the open demonstration (`is_open`)."""

    name: str
    roles: frozenset[Role]
    is_open: bool = False
    areas: frozenset[str] | None = None  # the areas it may see; None: every area (issue 26)

    def can(self, what: Can) -> bool:
        return allowed(self.roles, what)

    @property
    def role_text(self) -> str:
        return "open demonstration" if self.is_open else ", ".join(sorted(self.roles))


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in: the identity, or None with the message to show."""

    identity: Identity | None
    message: str


def login_required(*, has_accounts: bool, settings: Settings | None = None) -> bool:
    """True unless this is the open demonstration: the store has no account at all and
    sign-in is not asked for (issue 26: sign-in follows the accounts, whatever the data)."""
    settings = settings or get_settings()
    return settings.DASHBOARD_REQUIRE_LOGIN or has_accounts


def open_identity() -> Identity:
    """The open demonstration's user: may do everything; changes record "dashboard user"."""
    return Identity(name=OPEN_DEMO_USER, roles=OPEN_DEMO_ROLES, is_open=True)


def clean_name(name: str) -> str:
    """An account name as stored and compared: cleaned text, cut to the column's length."""
    return clean_text(name)[:NAME_LENGTH]


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _verified(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(*, engine: Engine, name: str, password: str, address: str | None = None) -> SignIn:
    """Check a local account's password, throttled per name and per client `address`
    (`auth.throttle`: during a delay the password is not checked and the attempt is not
    counted); every attempt is audited, and every refusal says the same (SIGNIN_REFUSED)."""
    name = clean_name(name)
    now = datetime.now().replace(microsecond=0)
    keys = throttle.keys(name=name or "(no name)", address=address)
    where = f"; from {address}" if address else ""
    with session_scope(engine) as session:
        delay = throttle.current_delay(session=session, of=keys, now=now)
        if delay is not None:
            how = f"password not checked: {delay.kind} delayed until {delay.until:%H:%M:%S}"
            _record(session, name or "(no name)", False, how + where)
            return SignIn(None, SIGNIN_REFUSED)
        account = accounts.find(session=session, name=name)
        ok = _verified(account.password_hash if account else None, password)
        ok = ok and account is not None and not account.disabled
        how = "password" + where
        if ok:
            throttle.record_success(session=session, name=name)
        elif started := throttle.record_failure(session=session, of=keys, now=now):
            how += f"; {started.kind} delayed until {started.until:%H:%M:%S}"
        _record(session, name or "(no name)", ok, how)
        areas = identity_areas(session=session, name=name, role=account.role) if ok else None
    if ok:
        return SignIn(Identity(name=name, roles=frozenset({Role(account.role)}), areas=areas), "")
    return SignIn(None, SIGNIN_REFUSED)


def _record(session, name: str, ok: bool, how: str) -> None:
    """Audit a sign-in or a failed one."""
    accounts.record_signin(session=session, name=name, ok=ok, how=how)


def provider_identity(*, engine: Engine, email: str) -> Identity | None:
    """The identity of someone the identity provider signed in, by their account (None
    without one), with the sign-in audited (call it once per browser session)."""
    who = account_identity(engine=engine, name=email)
    with session_scope(engine) as session:
        _record(session, clean_name(email) or "(no e-mail)", who is not None, "identity provider")
    return who


def operator_identity() -> Identity:
    """Whoever runs the command line on a store without an admin account: they may do
    everything (someone must create the first admin); recorded as the operating-system user."""
    return Identity(name=getpass.getuser(), roles=OPEN_DEMO_ROLES)


def account_identity(*, engine: Engine, name: str) -> Identity | None:
    """The identity of the account `name` as it is now (None if absent or disabled): read on
    every page run, so a role change or a disabled account takes effect at once."""
    with read_scope(engine) as session:
        account = accounts.find(session=session, name=clean_name(name))
        if account is None or account.disabled:
            return None
        areas = identity_areas(session=session, name=account.name, role=account.role)
    return Identity(name=account.name, roles=frozenset({Role(account.role)}), areas=areas)


def refusal(identity: Identity, what: Can) -> str:
    """What to say when `identity` may not do `what`."""
    names = [r.value for r in roles_that(what)]
    needed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    rule = f"Only the {needed} role{'s' if len(names) > 1 else ''} may {what}"
    if not identity.roles:
        return (
            f"{rule}, and {identity.name!r} has no account in this store that may sign in. "
            "Ask an admin to add one (`python manage.py user add NAME --role ROLE`)."
        )
    return f"{rule}; {identity.name!r} has the {identity.role_text} role."
