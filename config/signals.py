"""Pydantic models of `config/signals.toml`: the status thresholds, the SPC settings, the
recalculation points, the exceptional periods and the annotations drawn on charts. Like every
model in `config.models`, they forbid unknown keys."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from config.models import MonthText, Period, Strict, parse_month


class StatusThresholds(Strict):
    on_track: float = Field(gt=0, lt=1)
    off_track: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> StatusThresholds:
        if self.off_track >= self.on_track:
            raise ValueError("off_track must be below on_track")
        return self


class SpcSettings(Strict):
    limit_points: int = Field(ge=12, le=20)
    min_points: int = Field(ge=2)
    shift_run: int = Field(ge=6, le=8)
    trend_run: int = Field(ge=6, le=8)
    seasonal_min_months: int = Field(ge=24)
    # A count whose fitting window averages fewer events a month than this in an area is read
    # as rare events (a c chart, metrics.rare); small_numbers measures always are.
    rare_event_mean: float = Field(default=1.0, gt=0, le=5)


class Dated(Strict):
    """An entry that applies from a month ("YYYY-MM")."""

    month: MonthText

    @property
    def first(self) -> date:
        return parse_month(self.month)


class Recalculation(Dated):
    measure: str
    area: str | None = None  # None: every area
    reason: str = Field(min_length=1)


class Exceptional(Period):
    """Months that are no fair basis for limits, baselines or model fitting (`start` to `end`,
    "YYYY-MM", both included): drawn and shaded on charts, never judged nor fitted on."""

    name: str = Field(min_length=1)  # what the charts and captions call it
    reason: str = Field(min_length=1)  # why its months are not a fair basis, with the source
    measure: str | None = None  # None: every measure
    area: str | None = None  # None: every area

    def applies(self, code: str, area: str) -> bool:
        return self.measure in (None, code) and self.area in (None, area)


class Annotation(Dated):
    text: str = Field(min_length=1)
    measure: str | None = None
    operation: str | None = None
    area: str | None = None  # None: every area

    @model_validator(mode="after")
    def _applies(self) -> Annotation:
        if (self.measure is None) == (self.operation is None):
            raise ValueError("an annotation names either a measure or an operation")
        return self


class Signals(Strict):
    status: StatusThresholds
    spc: SpcSettings
    recalculation: list[Recalculation] = []
    exceptional: list[Exceptional] = []
    annotation: list[Annotation] = []
