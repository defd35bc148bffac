"""The table of measures the Overview and the operation pages lead with: one row per measure
with its status and the reason, the figures it is judged on, the SPC reading and a sparkline
(from the rows of `metrics.tables.overview`). Words only; the pages draw it.

The status matrix of the Districts page and the board pack's league (`status_matrix`): a cell
per measure and area, in the words each gives it, where the area has a stored score with data
of the measure; the same words for "no figure" everywhere else."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from config.loader import Catalogue
from metrics.scorecard import Score
from present import spc_wording as sw
from present import wording as w


def shown(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The table as read: Measure, Status, Why, Latest 12 months, Baseline year, SPC,
    Last 24 months (a sparkline in characters) and Since last month."""
    measures = [catalogue.measure(code) for code in rows["code"]]
    scores = list(rows["score"])
    pairs = list(zip(scores, measures, strict=True))
    return pd.DataFrame(
        {
            "Measure": [m.short_title for m in measures],
            "Status": [w.status_label(s) for s in rows["status"]],
            "Why": [w.chance_of(s, m) for s, m in pairs],
            "Latest 12 months": [w.latest_12_months(s, m) for s, m in pairs],
            "Baseline year": [w.baseline_text(s, m) for s, m in pairs],
            "SPC: variation · assurance": [
                f"{sw.VARIATION_SHORT[v]} · {sw.ASSURANCE_SHORT[a]}"
                for v, a in zip(rows["variation"], rows["assurance"], strict=True)
            ],
            "Last 24 months": [w.sparkline(s) for s in rows["sparkline"]],
            "Since last month": [
                f"was {w.status_label(r.previous_status)}" if r.status_changed else "unchanged"
                for r in rows.itertuples()
            ],
        }
    )


def raw(rows: pd.DataFrame) -> pd.DataFrame:
    """The same rows as raw numbers in plain columns, for the CSV download; a survey's
    respondents and 95% interval of the latest 12 months (empty for other measures)."""
    scores = list(rows["score"])
    return rows.drop(columns=["score", "sparkline"]).assign(
        status=rows["status"].astype(str),
        previous_status=rows["previous_status"].astype(str),
        respondents=[s.respondents for s in scores],
        interval_95_low=[round(s.interval[0], 3) for s in scores],
        interval_95_high=[round(s.interval[1], 3) for s in scores],
    )


# The sparkline (second-last column) in small type, so the words keep the width at 1440 px;
# on a phone only measure, status, reason and latest figure (the download has every column).
TABLE_CSS = (
    "<style>[data-testid='stTable'] td:nth-last-child(2) "
    "{font-size: 9px; white-space: nowrap; letter-spacing: -0.5px;}"
    "@media (max-width: 640px) {[data-testid='stTable'] th:nth-child(n+5), "
    "[data-testid='stTable'] td:nth-child(n+5) {display: none;}}</style>"
)


def status_matrix(
    scores: Iterable[tuple[str, str, Score]],
    *,
    measures: Sequence[str],
    areas: Sequence[str],
    cell: Callable[[Score, str], str],
    missing: str,
) -> pd.DataFrame:
    """Rows `measures` (codes, in the order given) by columns `areas` (in the order given):
    `cell(score, measure code)` for each (measure code, area, score) of `scores` (the stored
    scores with data), `missing` where an area has none. Areas outside `areas` are left out."""
    wanted = set(areas)
    found = {(code, area): cell(score, code) for code, area, score in scores if area in wanted}
    return pd.DataFrame(
        [[found.get((code, area), missing) for area in areas] for code in measures],
        index=pd.Index(list(measures)),
        columns=list(areas),
    )
