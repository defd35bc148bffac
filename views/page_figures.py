"""What the pages ask of the calculations and the store beyond `views.reads`: where below an
area the exceptions are (Overview), the hour x weekday figures (Time patterns), the dip samples
drawn (Dip-sampling) and the rules in the words of the code that applies them (Definitions).
Pages import only `views`, `present`, `config` and the outputs; what they need from `metrics`
and `db` comes through here."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import date
from types import ModuleType

import pandas as pd
from sqlalchemy import Engine

from db import dipsamples
from db.dipsamples import Sample
from db.engine import read_scope
from metrics import (
    control,
    fitting,
    forecast,
    maturity,
    periods,
    rare,
    seasonal,
    spc,
    status,
    suppression,
    tables,
    targets,
)
from metrics.tables import matrix_total, peak_window, window_share  # noqa: F401 (for the page)
from views import reads

YEAR_MONTHS = 12  # Time patterns shows the 12 months to the chosen month

# The Definitions page's "How the dashboard judges a measure": each rule's title and module.
RULES: tuple[tuple[str, ModuleType], ...] = (
    ("Status", status),
    ("Statistical process control (SPC): the rules", spc),
    ("SPC as drawn: segments, run charts, provisional months", control),
    ("SPC limits: exceptional periods, fitting windows, candidate recalculation points", fitting),
    ("Rare events: the c chart", rare),
    ("Provisional months: outcomes as published", maturity),
    ("Seasonal adjustment", seasonal),
    ("Periods and comparisons", periods),
    ("Baselines, targets and trajectories", targets),
    ("Forecasts", forecast),
    ("Dashboard tables", tables),
    ("Small numbers", suppression),
)


def rules() -> list[tuple[str, str]]:
    """Each rule's title and the docstring of the module that applies it, as written."""
    return [(title, inspect.cleandoc(module.__doc__ or "")) for title, module in RULES]


def exceptions_below(
    url: str, version: str, *, levels: Sequence[str], code: str, as_of: date, below: list[str]
) -> dict[str, list]:
    """The areas of `below` (at `levels`) by status word for measure `code` at `as_of`, from
    the stored scores (`metrics.tables.exceptions_within`)."""
    leagues = {level: reads.league(url, version, level, code, as_of) for level in levels}
    return tables.exceptions_within(leagues, below)


def year_start(as_of: date) -> date:
    """The first of the 12 months ending with `as_of`."""
    return periods.shift_month(as_of, -(YEAR_MONTHS - 1))


def hour_weekday(
    url: str, version: str, *, level: str, area: str, start: date, end: date
) -> pd.DataFrame:
    """`area`'s ASB incidents by hour (rows 0-23) and weekday (columns 0-6), `start` to `end`."""
    cells = reads.hour_weekday(url, version, level, start, end)
    return tables.hour_weekday_matrix(cells, area)


def samples(engine: Engine) -> list[Sample]:
    """Every dip sample drawn, newest first (`db.dipsamples.samples`)."""
    with read_scope(engine) as session:
        return dipsamples.samples(session=session)
