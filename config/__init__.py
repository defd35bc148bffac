"""The single source of truth: settings, geography, operations, measures, targets, outcomes."""

from config.force import FORCE_AREA
from config.loader import Catalogue, ConfigError, get_catalogue, load_catalogue
from config.models import month_text, parse_month
from config.settings import PROJECT_ROOT, Settings, get_settings

__all__ = [
    "FORCE_AREA",
    "PROJECT_ROOT",
    "Catalogue",
    "ConfigError",
    "Settings",
    "get_catalogue",
    "get_settings",
    "load_catalogue",
    "month_text",
    "parse_month",
]
