"""Words of the Your account page (issue 26): personal access tokens for the command line and
changing your own password. Used by `pages/account.py`."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from present.wording import code_span

OPEN_DEMO = (
    "In the open demonstration nobody is signed in, so there is no account here. Once the "
    "store has accounts, sign in to make personal access tokens and change your password."
)
TOKENS_INTRO = (
    "A personal access token proves to the command line (`manage.py`) that it is you, "
    "without typing your password: set the `DASHBOARD_TOKEN` setting to it (or put it in a file "
    "only you can read, named by `DASHBOARD_TOKEN_FILE`), never on the command line. Anyone "
    "holding it can act as you until it expires or you revoke it."
)
SHOWN_ONCE = (
    "Your new token is below. Copy it now: it is shown only this once (the store keeps only "
    "a fingerprint of it, so nobody can show it again)."
)
NO_TOKENS = "You have no personal access tokens."
REVOKED = "Token {name} revoked: it no longer proves anything."
PROVIDER_PASSWORD = (
    "You sign in with the force's identity provider: your password is changed there, not here."
)
PASSWORD_CHANGED = "Your password is changed. Use the new one from your next sign-in."
PASSWORDS_DIFFER = "The two new passwords differ; nothing was changed."
TOKEN_COLUMNS = {
    "name": "Token",
    "made": "Made",
    "expires": "Expires",
    "last used": "Last used",
    "state": "State",
}


def who_line(name: str, role: str) -> str:
    """Whose account this page is about."""
    return f"Signed in as {code_span(name)}, with the {role} role."


def token_state(row: pd.Series, now: datetime) -> str:
    """A token's state in words: in use, expired or revoked (never by colour alone)."""
    if pd.notna(row["revoked"]):
        return f"Revoked {row['revoked']:%d %b %Y}"
    if row["expires"] <= now:
        return "Expired"
    return "Can be used"


def token_table(frame: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The tokens as shown: name, made, expires, last used ("Never"), state."""
    shown = frame.assign(
        state=[token_state(row, now) for _, row in frame.iterrows()],
        **{
            "last used": frame["last used"].map(
                lambda t: "Never" if pd.isna(t) else f"{t:%d %b %Y %H:%M}"
            )
        },
        made=frame["made"].map(lambda t: f"{t:%d %b %Y %H:%M}"),
        expires=frame["expires"].map(lambda t: f"{t:%d %b %Y %H:%M}"),
    )
    return shown[list(TOKEN_COLUMNS)].rename(columns=TOKEN_COLUMNS)


def token_choice(row: pd.Series) -> str:
    """A live token in the revoke list: its name and when it was made."""
    return f"{row['name']} (made {row['made']:%d %b %Y %H:%M})"
