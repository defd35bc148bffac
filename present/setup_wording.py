"""Wording of the open demonstration and of setting up the first accounts (issue 26): what
the store holds, said truthfully (demonstration data only, real data, or nothing), and the
set-up form's texts. `auth.setup` holds the rules these words describe."""

from __future__ import annotations

from db.queries import StoreSummary

HOLDS_NOTHING = "nothing yet: no data are loaded"
HOLDS_DEMO = "demonstration data only"
HOLDS_REAL = "real data"


def store_holds(info: StoreSummary) -> str:
    """What the store holds, in words: never "demonstration data only" for an empty store."""
    if info.is_empty:
        return HOLDS_NOTHING
    return HOLDS_REAL if info.has_real else HOLDS_DEMO


def open_notice(info: StoreSummary) -> str:
    """The sidebar's statement of the open demonstration, on every page."""
    return (
        f"**Open demonstration: no sign-in.** This store has no account yet and holds "
        f"{store_holds(info)}, so anyone who can reach this server may use every page, "
        "including loading data. Sign-in is required from the first account on: choose "
        "**Set up accounts** (you need the set-up code the server printed to its log at start)."
    )


SETUP_BUTTON = "Set up accounts"
SETUP_TITLE = "Set up the first accounts"
SETUP_INTRO = (
    "Give the one-time **set-up code** that the server printed to its log when it started "
    "(ask whoever runs the server), then two accounts: the first **admin** (who manages "
    "accounts and reads the audit log, but may not load data) and **your own analyst** "
    "account (who loads data). From then on everyone signs in; you continue signed in as the "
    "analyst."
)
FIRST_LOAD_INTRO = (
    "**Loading real data needs accounts first.** Once real data are in the store, only "
    "signed-in accounts may see them. " + SETUP_INTRO + " Your file stays chosen: press "
    "**Load this file** once you are signed in."
)
NO_ACCOUNT_YET = (
    "No account exists in this store yet. Whoever runs the server finds a one-time set-up "
    "code in its log: choose **Set up accounts** below and give it with the first admin and "
    "your own analyst account (or make accounts on the server with "
    "`python manage.py user add NAME --role admin`)."
)
CODE_LABEL = "Set-up code (from the server's log)"
ADMIN_NAME, ADMIN_PASSWORD = "Admin account's name", "Admin account's password"
ANALYST_NAME, ANALYST_PASSWORD = "Your analyst account's name", "Your analyst account's password"
PASSWORD_HELP = "At least 12 characters, and not a common or breached password."
SUBMIT = "Make both accounts and sign in"
CANCEL = "Cancel the set-up"
SET_UP_DONE = (
    "Accounts set up: the admin {admin} and your analyst account {analyst}. You are signed "
    "in as {analyst}; everyone signs in from now on."
)

BACK_TO_DEMO = "Back to the demonstration"
BACK_TO_DEMO_INTRO = (
    "The store holds no real data. You may load the demonstration data again, to show the "
    "dashboard. Accounts stay, and everyone still signs in."
)
BACK_TO_DEMO_DONE = (
    "Demonstration data loaded again ({incidents:,} synthetic incidents). Accounts stay; "
    "sign-in is still required."
)
BACK_TO_DEMO_REFUSED = (
    "The store holds real data: the demonstration data would be mixed with them. Undo the "
    "real loads first."
)
