"""Who may see and change what (issue 14): the roles, what each may do, and which pages and
commands need what. The only truth about access: the sidebar, pages, commands and tests read
it here."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A person's role. Each account has exactly one."""

    PUBLIC = "public"  # the public summary only
    BOARD = "board"  # the Chief Officer governance board: aggregate pages and packs
    SCRUTINY = "scrutiny"  # the PCC's office: as the board
    REVIEWER = "reviewer"  # the ASB Oversight Board's dip-sampling reviewers
    ANALYST = "analyst"  # loads, targets, commentary, recalculation points
    ADMIN = "admin"  # accounts and the audit log


class Can(StrEnum):
    """What a role may do. Pages and commands ask for one of these, never for a role."""

    SEE_PUBLIC = "see the public summary"
    SEE_AGGREGATES = "see aggregate figures"
    SEE_CASES = "see incident-level records and dip-sample cases"
    REVIEW = "draw dip samples and record reviews"
    CHANGE_DATA = "load and undo data, and write commentary"
    APPROVE_PUBLICATION = "approve or refuse commentary for the public summary"
    SEE_AUDIT = "see the audit log"
    MANAGE_ACCOUNTS = "manage accounts"
    MANAGE_STORE = "back up and restore the store"
    RECORD_ACTIONS = "record the board's actions and matters arising"
    PUBLISH_SUMMARY = "publish the public summary"
    RESTORE_DEMO = "load the demonstration data again into a store without real data"


EVERYONE = frozenset(Role)
SIGNED_IN_STAFF = frozenset(Role) - {Role.PUBLIC}
PERMISSIONS: dict[Can, frozenset[Role]] = {
    Can.SEE_PUBLIC: EVERYONE,
    Can.SEE_AGGREGATES: SIGNED_IN_STAFF,
    # Incident-level records and dip-sample case detail: never public, board or scrutiny.
    Can.SEE_CASES: frozenset({Role.REVIEWER, Role.ANALYST}),
    Can.REVIEW: frozenset({Role.REVIEWER, Role.ANALYST}),
    Can.CHANGE_DATA: frozenset({Role.ANALYST}),
    # A second pair of eyes on what goes public: never the analysts who write it (issue 25).
    Can.APPROVE_PUBLICATION: frozenset({Role.SCRUTINY, Role.ADMIN}),
    Can.SEE_AUDIT: frozenset({Role.ADMIN}),
    Can.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Can.MANAGE_STORE: frozenset({Role.ADMIN}),
    # The board's secretariat keeps its actions log; analysts and admins may too.
    Can.RECORD_ACTIONS: frozenset({Role.BOARD, Role.ANALYST, Role.ADMIN}),
    # Issuing the public summary (kept as issued, audited): the analysts who prepare it, or an
    # admin; scrutiny and the board read it, and the public may only download it.
    Can.PUBLISH_SUMMARY: frozenset({Role.ANALYST, Role.ADMIN}),
    # "Back to the demonstration" (issue 26): only while the store holds no real data, so no
    # real figure is touched. Admins, who keep the store (back-up and restore) and must be
    # able to show the dashboard again; analysts, who may load and undo data anyway.
    Can.RESTORE_DEMO: frozenset({Role.ANALYST, Role.ADMIN}),
}
# What each `manage.py` command (and `sample` action) needs. A command not listed is refused.
COMMAND_NEEDS: dict[str, Can] = {
    "init": Can.CHANGE_DATA,  # records targets from configuration
    "demo": Can.CHANGE_DATA,
    "load": Can.CHANGE_DATA,
    "unload": Can.CHANGE_DATA,
    "loads": Can.SEE_AGGREGATES,
    "export": Can.SEE_AGGREGATES,
    "status": Can.SEE_AGGREGATES,
    "check": Can.SEE_AGGREGATES,
    "backtest": Can.SEE_AGGREGATES,
    "pack": Can.SEE_AGGREGATES,
    "public": Can.SEE_PUBLIC,
    "sample draw": Can.REVIEW,
    "sample import": Can.REVIEW,
    "sample export": Can.SEE_CASES,  # the review sheet lists the cases
    "sample report": Can.SEE_AGGREGATES,
    "user": Can.MANAGE_ACCOUNTS,
    "audit": Can.SEE_AUDIT,
    "backup": Can.MANAGE_STORE,
    "restore": Can.MANAGE_STORE,
}
# Commands whose output leaves the store (files or standard output): audited as "command
# output" (`auth.cliaudit`); every other command that runs is audited as "command run".
COMMAND_OUTPUTS = frozenset(
    {"export", "status", "loads", "backtest", "pack", "public", "sample export", "sample report",
     "audit", "user list", "user tokens", "backup"}
)  # fmt: skip
# The open demonstration (no sign-in) may do everything: it is labelled so on every page.
OPEN_DEMO_ROLES = frozenset(Role)
# What each page needs, by its URL path (`views.navigation`); every other page (the Overview,
# the operations' pages, ...) needs Can.SEE_AGGREGATES. The sidebar lists only the pages its
# user may open, and a page refuses the rest (`views.ui.page_header`): both read it here.
PAGE_NEEDS: dict[str, Can] = {
    "public-summary": Can.SEE_PUBLIC,
    "audit": Can.SEE_AUDIT,
    "account": Can.SEE_PUBLIC,  # every signed-in account: its own tokens and password
    "accounts": Can.MANAGE_ACCOUNTS,
}


def allowed(roles: frozenset[Role] | set[Role], can: Can) -> bool:
    """True when any of `roles` may do `can`."""
    return bool(PERMISSIONS[can] & set(roles))


def page_needs(url_path: str) -> Can:
    """What the page at /`url_path` needs ("" is the Overview)."""
    return PAGE_NEEDS.get(url_path, Can.SEE_AGGREGATES)


def roles_that(can: Can) -> list[Role]:
    """The roles that may do `can`, in the order of `Role` (for messages)."""
    return [role for role in Role if role in PERMISSIONS[can]]
