"""`manage.py user areas NAME --division NAME | --district CODE... | --all` (issue 26): limit
an account to a division or to districts, or let it see every area again; audited
(`db.account_areas`). The rules are in `config.areascope`."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine

from auth.areas import limit_asked
from config.access import Role
from config.areascope import FORCE_WIDE_ROLES
from db import accounts
from db.account_areas import set_limit
from db.engine import session_scope


def add_areas_action(actions: argparse._SubParsersAction) -> None:
    areas = actions.add_parser(
        "areas",
        help="limit an account to a division or districts, or to every area (--all)",
        description="Limit what an account sees to one division (and its districts) or to "
        "districts (by ONS code or name). Analyst and admin accounts see every area whatever "
        "is recorded.",
    )
    areas.add_argument("name", metavar="NAME")
    which = areas.add_mutually_exclusive_group(required=True)
    which.add_argument("--division", metavar="NAME", help="one division, by name")
    which.add_argument("--district", nargs="+", metavar="CODE", help="districts: ONS code or name")
    which.add_argument("--all", dest="every", action="store_true", help="every area")


def run_areas(args: argparse.Namespace, actor: str, engine: Engine) -> int:
    """Record the limit; ValueError (nothing changed) for an unknown account or area."""
    from auth import clean_name

    name = clean_name(args.name)
    limit = limit_asked(division=args.division, districts=args.district, every=args.every)
    with session_scope(engine) as session:
        account = accounts.find(session=session, name=name)
        if account is None or not set_limit(session=session, name=name, limit=limit, actor=actor):
            raise ValueError(f"There is no account called {args.name!r}; nothing changed.")
    wide = Role(account.role) in FORCE_WIDE_ROLES and limit.level is not None
    note = f" (the {account.role} role sees every area whatever is recorded)" if wide else ""
    print(f"Account {name!r}: limited to {limit.text}{note}.")
    return 0
