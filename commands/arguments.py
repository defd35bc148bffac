"""The argument types every command shares: a month (YYYY-MM: `--as-of`, `--from`, `--to`)
and a day (YYYY-MM-DD: `pack --date`, `public --date`, `audit --from`). argparse shows the
message of an `ArgumentTypeError` as the command's error, so a bad value names itself."""

from __future__ import annotations

import argparse
from datetime import date

from config import parse_month


def month_argument(text: str) -> date:
    """argparse type of a YYYY-MM option (`--as-of`, `--from`, `--to`)."""
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day_argument(text: str) -> date:
    """argparse type of a YYYY-MM-DD option (`pack --date`, `public --date`)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None
