"""Access by area for identities (issue 26): the `areas` of an account's identity, from its
recorded limit and its role, and checking a limit an admin asks for against the geography.
The rules are in `config.areascope`: analyst and admin accounts are force-wide."""

from __future__ import annotations

from sqlalchemy.orm import Session

from config import get_catalogue
from config.access import Role
from config.areascope import FORCE_WIDE_ROLES, AreaScope, allowed_names, scope_of
from config.vocabulary import Level
from db.account_areas import Limit, limit_of


def identity_areas(*, session: Session, name: str, role: str) -> frozenset[str] | None:
    """The names of the areas the account may see (None: every area)."""
    if Role(role) in FORCE_WIDE_ROLES:
        return None
    limit = limit_of(session=session, name=name)
    if limit.level is None:
        return None
    return allowed_names(get_catalogue().geography, limit.level, list(limit.codes))


def scope(who) -> AreaScope:
    """The scope of an identity (`auth.Identity`): every area unless it is limited."""
    return scope_of(getattr(who, "areas", None), get_catalogue().geography)


def limit_asked(
    *, division: str | None = None, districts: list[str] | None = None, every: bool = False
) -> Limit:
    """The limit an admin asks for, checked: one division (by name), districts (by ONS code
    or name, stored by ONS code), or every area. Raises ValueError saying what is wrong."""
    geography = get_catalogue().geography
    if sum([division is not None, bool(districts), every]) != 1:
        raise ValueError("choose exactly one of a division, districts, or every area")
    if every:
        return Limit(level=None, codes=())
    if division is not None:
        allowed_names(geography, Level.DIVISION, [division])
        return Limit(level=Level.DIVISION, codes=(division,))
    names = allowed_names(geography, Level.DISTRICT, list(districts))
    codes = sorted(d.ons_code for d in geography.district if d.name in names)
    return Limit(level=Level.DISTRICT, codes=tuple(codes))
