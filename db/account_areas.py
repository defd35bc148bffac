"""The areas an account is limited to (issue 26): reading and setting `account_areas`, each
change audited in the same transaction. The rules are in `config.areascope`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.loads import audit
from db.models.account import Account
from db.models.area import AccountArea

ENTITY = "accounts"


@dataclass(frozen=True)
class Limit:
    """An account's recorded limit: `level` ("division" or "district") and its codes (a
    division's name, districts' ONS codes); `level` None for every area."""

    level: str | None
    codes: tuple[str, ...]

    @property
    def text(self) -> str:
        if self.level is None:
            return "every area"
        plural = "s" if len(self.codes) > 1 else ""
        return f"{self.level}{plural} {', '.join(self.codes)}"


def limit_of(*, session: Session, name: str) -> Limit:
    """The areas the account `name` is limited to (every area when it has none)."""
    rows = session.execute(
        select(AccountArea.level, AccountArea.code)
        .join(Account, Account.id == AccountArea.account_id)
        .where(Account.name == name)
        .order_by(AccountArea.level, AccountArea.code)
    ).all()
    if not rows:
        return Limit(level=None, codes=())
    return Limit(level=rows[0][0], codes=tuple(code for _, code in rows))


def set_limit(*, session: Session, name: str, limit: Limit, actor: str) -> bool:
    """Limit the account `name` to `limit` (codes already checked against the geography);
    False when there is no such account. Audited when it changes anything."""
    account_id = session.scalar(select(Account.id).where(Account.name == name))
    if account_id is None:
        return False
    before = limit_of(session=session, name=name)
    if before == limit:
        return True
    session.execute(delete(AccountArea).where(AccountArea.account_id == account_id))
    session.add_all(
        AccountArea(account_id=account_id, level=limit.level, code=code) for code in limit.codes
    )
    audit(
        session=session,
        actor=actor,
        action="account areas changed",
        entity=ENTITY,
        detail=f"{name}: areas {before.text} -> {limit.text}",
    )
    return True
