"""The words of the Accounts page (issue 26): the accounts table, what each action did, and why
one was refused. Names are shown as code spans (exactly as typed, nothing in them takes
effect); a password is never put in any message."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from present.wording import code_span

TITLE = "Accounts"
INTRO = (
    "Everyone who may sign in, and their role (what each role may do is in the README). "
    "Every change here is recorded in the audit log with your name."
)
OPEN_DEMO = (
    "Accounts are not managed from the open demonstration, where nobody is signed in. The "
    "first admin is set up with the set-up code the server prints at start, or on the server "
    "with `python manage.py user add NAME --role admin`; that admin then signs in and manages "
    "accounts here."
)
NO_ACCOUNTS = "No account yet."
ADD = "Add an account"
CHANGE = "Change an account"
NAME = "Name"
NAME_HELP = "A local account's name, or the e-mail address the force's identity provider gives."
ROLE = "Role"
KIND = "Signs in with"
LOCAL, PROVIDER = "A password (local account)", "The force's identity provider (e-mail)"
PASSWORD, AGAIN = "Password of the new account", "The same password again"
NEW_PASSWORD = "New password"
ADD_BUTTON = "Add the account"
ACCOUNT = "Account"
ROLE_BUTTON = "Change the role"
PASSWORD_BUTTON = "Set the new password"
DISABLE, ENABLE, UNLOCK = "Disable", "Enable", "Unlock"
PASSWORD_NOTE = "Setting a new password also unlocks the account. Tell the person in person."
NO_PASSWORD = "This account signs in with the identity provider: it has no password here."
STILL_ADMIN = "You may no longer manage accounts; nothing was changed."

STATE_OK, STATE_DISABLED, STATE_LOCKED = "may sign in", "disabled", "locked"
COLUMNS = ["Name", "Role", "Signs in with", "State", "Created", "Created by"]


def state(row: pd.Series, now: datetime) -> str:
    """An account's state in words (never by colour): may sign in, locked until, disabled."""
    if pd.notna(row["disabled"]):
        return f"{STATE_DISABLED} since {row['disabled']:%d %B %Y %H:%M}"
    if pd.notna(row["locked until"]) and row["locked until"] > now:
        return f"{STATE_LOCKED} until {row['locked until']:%d %B %Y %H:%M}"
    return STATE_OK


def accounts_table(frame: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """`db.accounts.listing` as the page shows it."""
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(
        {
            "Name": frame["name"],
            "Role": frame["role"],
            "Signs in with": frame["signs in with"],
            "State": [state(row, now) for _, row in frame.iterrows()],
            "Created": [f"{at:%d %B %Y %H:%M}" for at in frame["created"]],
            "Created by": frame["created by"],
        }
    )


def added(name: str, role: str) -> str:
    return f"Account {code_span(name)} added with the {role} role."


def changed(name: str, what: str) -> str:
    """What an action did: "Account `bo`: role changed to analyst."."""
    return f"Account {code_span(name)}: {what}."


def nothing_to_do(name: str, what: str) -> str:
    return f"Account {code_span(name)} is already {what}; nothing was changed."


def no_such(name: str) -> str:
    return f"There is no account called {code_span(name)}; nothing was changed."


def exists(name: str) -> str:
    return f"There is already an account called {code_span(name)}; nothing was added."


NEEDS_NAME = "An account needs a name; nothing was added."
NEEDS_EMAIL = (
    "An identity-provider account is named by the e-mail address the provider gives "
    "(it has an @); nothing was added."
)
PASSWORDS_DIFFER = "The two passwords differ; nothing was changed."


def password_refused(problem: str) -> str:
    return f"{problem} Nothing was changed."


def last_admin(name: str, *, yourself: bool) -> str:
    """Why an admin cannot be disabled or given another role: the store would have no admin."""
    who = "You are" if yourself else f"{code_span(name)} is"
    return (
        f"{who} the only admin that may sign in: without one, nobody could manage accounts. "
        "Make another account an admin first; nothing was changed."
    )
