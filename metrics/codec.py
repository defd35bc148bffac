"""A score as JSON text and back, exactly: how a `metrics.scorecard.Score` is stored.

The score of one measure in one area at one month is computed once per data version
(`scoring`) and stored as text; pages, `manage.py status` and exports decode it. Decoding gives
an equal object: the same floats (JSON keeps every digit, and NaN), dates, status words, SPC
frame (columns, order and dtypes) and segments. Only the classes named in `CLASSES` can be
decoded, so stored text never names code to run.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from config.models import Status
from metrics.control import Reading, Segment
from metrics.forecast import Forecast
from metrics.scorecard import Score
from metrics.seasonal import SeasonalFactors

CLASSES = {cls.__name__: cls for cls in (Score, Forecast, Reading, Segment, SeasonalFactors)}
FORMAT = 2  # bump when the stored shape changes: older text is then recomputed, not read


def encode(score: Score) -> str:
    """`score` as JSON text (NaN written as NaN)."""
    return json.dumps({"format": FORMAT, "score": _encode(score)}, separators=(",", ":"))


def decode(text: str) -> Score:
    """The score `encode` wrote. Raises ValueError for text of another format."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"stored score of format {data.get('format')}, expected {FORMAT}")
    score: Score = _decode(data["score"])
    return score


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"@": type(value).__name__, **fields}
    if isinstance(value, Status):
        return {"@status": str(value)}
    if isinstance(value, pd.DataFrame):
        return {
            "@frame": [_index(value.index), value.index.name],
            "columns": [[name, str(col.dtype), _values(col)] for name, col in value.items()],
        }
    if isinstance(value, pd.Series):
        return {
            "@series": [_index(value.index), value.index.name, str(value.dtype)],
            "values": _values(value),
        }
    if isinstance(value, pd.Timestamp):
        return {"@ts": value.isoformat()}
    if isinstance(value, date):
        return {"@date": value.isoformat()}
    if isinstance(value, tuple):
        return {"@tuple": [_encode(v) for v in value]}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _index(index: pd.Index) -> list[Any]:
    if isinstance(index, pd.DatetimeIndex):
        return [str(index.dtype), [t.isoformat() for t in index], index.freqstr]
    return [str(index.dtype), index.tolist(), None]


def _values(column: pd.Series) -> list[Any]:
    return [v.item() if isinstance(v, np.generic) else v for v in column.tolist()]


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "@" in value:
        cls = CLASSES[value["@"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "@"})
    if "@status" in value:
        return Status(value["@status"])
    if "@series" in value:
        spec, name, dtype = value["@series"]
        return pd.Series(
            value["values"], index=_make_index(spec[0], spec[1], spec[2], name), dtype=dtype
        )
    if "@frame" in value:
        spec, name = value["@frame"]
        index = _make_index(spec[0], spec[1], spec[2], name)
        columns = {n: pd.Series(v, index=index, dtype=d) for n, d, v in value["columns"]}
        return pd.DataFrame(columns, index=index)
    if "@ts" in value:
        return pd.Timestamp(value["@ts"])
    if "@date" in value:
        return date.fromisoformat(value["@date"])
    if "@tuple" in value:
        return tuple(_decode(v) for v in value["@tuple"])
    return value


def _make_index(kind: str, items: list[Any], freq: str | None, name: str | None) -> pd.Index:
    if kind.startswith("datetime64"):
        return pd.DatetimeIndex(items, name=name, freq=freq).as_unit(kind[11:-1])
    return pd.Index(items, dtype=kind, name=name)
