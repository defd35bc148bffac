"""Rates per 1,000 residents for the public summary (pure pandas).

A rate is the period's count for an area per 1,000 of its residents: populations are those of
`config/geography.toml` (`population_for_rates`: ONS Census 2021 by default, checked against
../shared/data/population/ by tests/test_config.py), a division's the sum of its districts', the
force's the sum of all. Figures linked to no district have no population and so no rate. A
rate is given only where its count is shown: a withheld count's rate would give the count back
(rate x population / 1,000), so it is withheld too. Rates are kept to three decimal places
(the CSV) and shown to one ("under 0.1" for a rate above zero that would show as 0.0).
"""

from __future__ import annotations

import pandas as pd

from config import Catalogue
from config.vocabulary import Level
from metrics.tables import area_population

PER = 1000
DECIMALS = 3  # kept (the CSV); shown to one decimal place (`present.public_wording.rate`)
RATED_LEVELS = (Level.FORCE, Level.DIVISION, Level.DISTRICT)


def populations(areas: pd.Index, levels: pd.Series, catalogue: Catalogue) -> pd.Series:
    """Residents of each area (NaN for the unlinked row)."""
    return pd.Series(
        [
            float(area_population(catalogue, a)) if lv in RATED_LEVELS else float("nan")
            for a, lv in zip(areas, levels, strict=True)
        ],
        index=areas,
    )


def per_thousand(counts: pd.Series, levels: pd.Series, catalogue: Catalogue) -> pd.Series:
    """Counts per 1,000 residents (NaN where the count is NaN, i.e. withheld or no figure)."""
    people = populations(counts.index, levels.reindex(counts.index), catalogue)
    return (counts * PER / people).round(DECIMALS)
