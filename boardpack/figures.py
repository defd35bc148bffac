"""The pack's tables of figures: the summary as shown (with the change on the baseline year)
and as typed numbers for the workbook, and the district league as numbers.

Rules:
- Measures are named by the catalogue's `title` (one name per measure in the pack).
- The change on the baseline is the latest 12 months minus the baseline year
  (`metrics.scorecard.Score`: `rolling_12m`, `baseline`, both taken at `judged_to`), as a
  number (percentage points for a percentage) and a per cent of the baseline
  (`metrics.periods.Comparison`); no per cent for small-number measures, where it misleads.
- Typed tables hold numbers as numbers (a per cent or a chance as a fraction, so a
  spreadsheet's percent format shows it) and no number as text.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

import scoring
from config import Catalogue
from config.areascope import EVERY_AREA, AreaScope
from config.vocabulary import Level
from metrics.periods import Comparison
from present import measure_table
from present import pack_words as words
from present import spc_wording as sw
from present import wording as w

PERCENT_COLUMNS = ("Chance of meeting the target", "Change on the baseline year (%)")


def pack_districts(catalogue: Catalogue, area: str) -> list[str]:
    """The districts a pack's league lists: the force's, a division's, a district's division's."""
    geo = catalogue.geography
    level = catalogue.area_level(area)
    division = area if level == Level.DIVISION else None
    if level == Level.DISTRICT:
        division = geo.district_by_name(area).division
    return [d.name for d in geo.district if division is None or d.division == division]


def baseline_numbers(score, measure) -> tuple[float, float]:
    """(change, change as a fraction of the baseline) of the latest 12 months on the baseline
    year; the fraction is nan for small numbers or a baseline of zero."""
    found = Comparison(score.rolling_12m, score.baseline)
    share = found.change_pct / 100
    return found.change, float("nan") if measure.small_numbers else share


def summary_shown(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Every measure at a glance, as the Overview shows it (`present.measure_table.shown`) with
    the measure's title and its change on the baseline year."""
    shown = measure_table.shown(rows, catalogue)
    measures = [catalogue.measure(code) for code in rows["code"]]
    shown["Measure"] = [m.title for m in measures]
    change = [
        words.baseline_change(s, m).partition(": ")[2].rstrip(".")
        for s, m in zip(rows["score"], measures, strict=True)
    ]
    at = shown.columns.get_loc("Baseline year") + 1
    shown.insert(at, "Change on the baseline year", change)
    return shown


def summary_typed(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The summary as typed figures for the workbook (see the module's rules)."""
    measures = [catalogue.measure(code) for code in rows["code"]]
    scores = list(rows["score"])
    changes = [baseline_numbers(s, m) for s, m in zip(scores, measures, strict=True)]
    return pd.DataFrame(
        {
            "Measure": [m.title for m in measures],
            "Unit": [m.unit for m in measures],
            "Status": [w.status_label(s) for s in rows["status"]],
            "Chance of meeting the target": [s.probability for s in scores],
            "Latest 12 months": [s.rolling_12m for s in scores],
            "Baseline year": [s.baseline for s in scores],
            "Change on the baseline year": [c for c, _ in changes],
            "Change on the baseline year (%)": [p for _, p in changes],
            "Target": [s.target for s in scores],
            "Figures taken to": [pd.Timestamp(s.judged_to) for s in scores],
            "SPC: variation · assurance": [
                f"{sw.VARIATION_SHORT[v]} · {sw.ASSURANCE_SHORT[a]}"
                for v, a in zip(rows["variation"], rows["assurance"], strict=True)
            ],
        }
    )


def league_typed(
    *, session: Session, catalogue: Catalogue, area: str, as_of, scope: AreaScope = EVERY_AREA
) -> pd.DataFrame:
    """The district league as typed figures: a row per measure and district with its status,
    chance, latest 12 months, baseline year and change on it."""
    districts = scope.keep(pack_districts(catalogue, area))
    found = scoring.read(session=session, as_of=as_of, level=Level.DISTRICT, scope=scope)
    found = found[found["area"].isin(districts)]
    order = {m.code: i for i, m in enumerate(catalogue.measures.measure)}
    places = {d: i for i, d in enumerate(districts)}
    found = found.assign(_m=found["measure"].map(order), _a=found["area"].map(places))
    found = found.sort_values(["_m", "_a"])
    measures = [catalogue.measure(c) for c in found["measure"]]
    scores = list(found["score"])
    changes = [baseline_numbers(s, m) for s, m in zip(scores, measures, strict=True)]
    return pd.DataFrame(
        {
            "Measure": [m.title for m in measures],
            "District": found["area"].to_numpy(),
            "Status": [w.status_label(s.status) for s in scores],
            "Chance of meeting the target": [s.probability for s in scores],
            "Latest 12 months": [s.rolling_12m for s in scores],
            "Baseline year": [s.baseline for s in scores],
            "Change on the baseline year": [c for c, _ in changes],
            "Change on the baseline year (%)": [p for _, p in changes],
        }
    )
