"""Personal access tokens (issue 26): the only SQL about them. A token is stored as its
digest only (`auth.tokens` makes and digests it); every token made or revoked is audited in
the same transaction. A token proves its account while it is neither expired nor revoked and
its account is not disabled; each use is stamped (`last_used_at`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.loads import audit
from db.models.account import Account
from db.models.token import AccessToken

ENTITY = "access tokens"
LISTING_COLUMNS = ["id", "name", "made", "expires", "last used", "revoked"]


@dataclass(frozen=True)
class TokenOwner:
    """Whose token a digest is, and whether it may be used now (`problem` None)."""

    account: str | None
    token_name: str
    problem: str | None


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def make(
    *, session: Session, account: str, name: str, digest: str, expires: datetime, actor: str
) -> bool:
    """Record a new token of `account` by its digest; False if the account does not exist."""
    owner = session.scalar(select(Account).where(Account.name == account))
    if owner is None:
        return False
    session.add(
        AccessToken(
            account_id=owner.id, name=name, token_hash=digest, created_at=_now(), expires_at=expires
        )
    )
    audit(
        session=session,
        actor=actor,
        action="token made",
        entity=ENTITY,
        detail=f"{account}: token {name!r}, expires {expires:%d %B %Y %H:%M}",
    )
    return True


def use(*, session: Session, digest: str) -> TokenOwner:
    """The account a token's digest proves, stamping its use; or why it proves nothing."""
    row = session.execute(
        select(AccessToken, Account)
        .join(Account, Account.id == AccessToken.account_id)
        .where(AccessToken.token_hash == digest)
    ).first()
    if row is None:
        return TokenOwner(account=None, token_name="", problem="is not a token of this store")
    token, account = row
    now = _now()
    problem = None
    if token.revoked_at is not None:
        problem = f"was revoked on {token.revoked_at:%d %B %Y}"
    elif token.expires_at <= now:
        problem = f"expired on {token.expires_at:%d %B %Y %H:%M}"
    elif account.disabled_at is not None:
        problem = "belongs to a disabled account"
    else:
        token.last_used_at = now
    return TokenOwner(account=account.name, token_name=token.name, problem=problem)


def listing(*, session: Session, account: str) -> pd.DataFrame:
    """The tokens of `account`, newest first: id, name, made, expires, last used, revoked."""
    rows = session.execute(
        select(AccessToken)
        .join(Account, Account.id == AccessToken.account_id)
        .where(Account.name == account)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    ).scalars()
    return pd.DataFrame(
        [[t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at] for t in rows],
        columns=LISTING_COLUMNS,
    )


def revoke(*, session: Session, account: str, actor: str, token_id: int | None = None) -> list[str]:
    """Revoke one token of `account` (`token_id`) or all its live ones; the names revoked."""
    query = (
        select(AccessToken)
        .join(Account, Account.id == AccessToken.account_id)
        .where(Account.name == account, AccessToken.revoked_at.is_(None))
    )
    if token_id is not None:
        query = query.where(AccessToken.id == token_id)
    now, names = _now(), []
    for token in session.scalars(query):
        token.revoked_at, token.revoked_by = now, actor
        names.append(token.name)
    if names:
        audit(
            session=session,
            actor=actor,
            action="token revoked",
            entity=ENTITY,
            detail=f"{account}: " + ", ".join(repr(n) for n in names),
        )
    return names
