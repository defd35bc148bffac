"""Words and tables of the forecast's track record (`scoring.trackrecord`): how often the
stated chance of meeting a target came true, per measure, for the Definitions page and the
board pack. The figures come from the stored track record; nothing is computed here."""

from __future__ import annotations

import json

import pandas as pd

from present.wording import NO_FIGURE

RECORD_TITLE = "How often the forecast has been right"
RECORD_INTRO = (
    "Each measure's forecast was re-run as if made 1 to 18 months before the end of past "
    "12-month periods in the loaded data (the force and its divisions, a period every 12 "
    "months), and its chance of beating the previous 12 months was compared with what "
    "happened. The Brier score is the average squared gap between the chance stated and the "
    "outcome (0 is perfect; lower is better); 'always the base rate' is the score of stating "
    "how often the target was met, every time. A forecast is worth reading where its score "
    "is the lower of the two."
)
NO_RECORD = (
    "No track record yet: the loaded data need at least three years of months for a measure "
    "before its forecast can be checked."
)
BAND_WORDS = "{low:.0%} to {high:.0%}"


def _score(value) -> str:
    return NO_FIGURE if value is None or pd.isna(value) else f"{value:.3f}"


def verdict(brier, climatology) -> str:
    if brier is None or climatology is None or pd.isna(brier) or pd.isna(climatology):
        return "not enough checks"
    return "better than the base rate" if brier < climatology else "no better than the base rate"


def reliability_words(detail: str) -> str:
    """ "When we said 70% to 90%, the target was met 8 of 10 times; ..." for the bands used."""
    bands = json.loads(detail)["reliability"]
    said = [
        f"when we said {BAND_WORDS.format(**band)}, the target was met "
        f"{band['met']} of {band['stated']} times"
        for band in bands
        if band["stated"]
    ]
    return "; ".join(said).capitalize() if said else NO_FIGURE


def record_table(record: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """One row per measure with a track record, as shown."""
    shown = record[record["forecasts"] > 0]
    return pd.DataFrame(
        {
            "Measure": [titles.get(code, code) for code in shown["measure"]],
            "Forecasts checked": [f"{n:,}" for n in shown["forecasts"]],
            "Chances checked": [f"{n:,}" for n in shown["stated"]],
            "Brier score": [_score(v) for v in shown["brier"]],
            "Always the base rate": [_score(v) for v in shown["climatology"]],
            "Verdict": [
                verdict(b, c) for b, c in zip(shown["brier"], shown["climatology"], strict=True)
            ],
            "What we said and what happened": [reliability_words(d) for d in shown["detail"]],
        }
    )
