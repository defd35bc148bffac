"""The argument types of every command, in one place: a month (YYYY-MM: `--as-of`, `--from`,
`--to`, `load --published`), a day (YYYY-MM-DD: `pack --date`, `public --date`, `audit --from`)
and a whole number of 1 or more (`backtest --step`). argparse shows the
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


def positive_int(text: str) -> int:
    """argparse type of a whole number of 1 or more (`backtest --step`)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number
