"""Who is using the dashboard: the one place the pages ask. Loads, undos, samples drawn,
reviews and commentary record this name: the signed-in account's, or in the open
demonstration "dashboard user"."""

from views.auth import current_identity


def current_user() -> str:
    """The name recorded for changes made from the dashboard."""
    return current_identity().name
