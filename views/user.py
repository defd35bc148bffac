"""Who is using the dashboard: the one place the pages ask, so sign-in (issue 14) can replace
it here alone. Loads, undos, samples drawn and reviews record this name."""

from config import get_settings


def current_user() -> str:
    """The name recorded for changes made from the dashboard (the LOADED_BY setting until
    sign-in exists)."""
    return get_settings().LOADED_BY or "dashboard user"
