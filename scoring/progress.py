"""The score refresh every command that changes data runs (`manage.py init`, `demo`, `load`,
`unload`, `restore`, and `status` for a month not yet scored): `scoring.refresh`, with its
progress shown on a terminal and one line saying what it did. It lives here, not in a command
module, so that every command calls the same refresh and no command imports another."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from sqlalchemy import Engine

import scoring
from config import get_catalogue

PROGRESS_EVERY = 100  # scores computed between two progress lines on a terminal


def refresh_scores(
    engine: Engine, *, months: Sequence[date] = (), out: TextIO | None = None
) -> None:
    """Bring the stored scores up to date (`scoring.refresh`) and say so on `out` (standard
    error when standard output carries a CSV); progress on a terminal's standard error."""
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and total and (done == total or done % PROGRESS_EVERY == 0):
            print(f"\rComputing scores: {done} of {total}", end="", file=sys.stderr)

    result = scoring.refresh(
        engine=engine, catalogue=get_catalogue(), months=months, progress=progress
    )
    if tty and result.computed:
        print("\r", end="", file=sys.stderr)
    if not result.months:  # an empty store: nothing to score
        return
    shown = ", ".join(f"{m:%Y-%m}" for m in result.months)
    print(
        f"Scores up to date for {shown}: {result.computed} computed, "
        f"{result.stored - result.computed} unchanged, in {result.seconds} s.",
        file=out or sys.stdout,  # looked up now: a caller may have replaced it
    )
