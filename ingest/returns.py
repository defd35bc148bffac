"""Monthly returns: analysts' figures for measures no system counts (CSV or .xlsx), one row
per measure, month, area and (optionally) breakdown category. Columns: see the README."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from config import Catalogue
from config.vocabulary import (
    TOTAL,
    UNALLOCATED,
    Aggregation,
    FileKind,
    FileLayout,
    Level,
    Unit,
    ratio_percent,
)
from db.derive import OBSERVATION_COLUMNS
from ingest.base import Kind, Report, RowsAgain, shown, text
from ingest.extracts import Number, Text, parse

PERCENT_TOLERANCE = 0.05  # a given percentage may differ from numerator/denominator by this


class ReturnRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure: Text
    month: Any
    area: Text
    breakdown: Text = ""
    value: Number = None
    numerator: Number = None
    denominator: Number = None
    note: Annotated[str | None, BeforeValidator(lambda v: text(v) or None)] = Field(
        default=None, max_length=500
    )


class Returns(Kind):
    name = FileLayout.RETURNS
    source = FileKind.RETURNS
    title = "monthly return"
    required = ("measure", "month", "area")
    optional = ("breakdown", "value", "numerator", "denominator", "note")

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.rows: list[dict[str, Any]] = []
        self._seen: dict[tuple, int] = {}

    def check(self, row: int, values: dict[str, Any], report: Report) -> Any | None:
        parsed, unread = parse(ReturnRow, row, values, report)  # every problem of the row listed
        failed: list[str] = list(unread)

        def fail(column: str, message: str) -> None:
            failed.append(column)
            report(row, column, message)

        measure = self.catalogue.measure_by_code.get(parsed.measure)
        if measure is None:
            fail(
                "measure",
                f"unknown measure code {shown(parsed.measure)} (see the Definitions page)",
            )
        elif FileKind.RETURNS not in measure.sources:
            fail(
                "measure",
                f"{parsed.measure} is not loaded from monthly returns; it comes from "
                + " or ".join(measure.sources)
                + " files",
            )
        month = self.month(row, "month", parsed.month, report)
        if parsed.area.casefold() == UNALLOCATED:
            level, area = Level.FORCE, UNALLOCATED
        else:
            level, area = Level.DISTRICT, self.district(row, "area", parsed.area, report)
        breakdown = parsed.breakdown or "total"
        if measure and parsed.breakdown:
            allowed = measure.breakdown.values if measure.breakdown else []
            if parsed.breakdown not in allowed:
                fail(
                    "breakdown",
                    f"{shown(parsed.breakdown)} is not a breakdown of {measure.code}"
                    + (f": use one of {', '.join(allowed)}" if allowed else " (it has none)"),
                )
        numbers_read = not unread & {"value", "numerator", "denominator"}
        figures = self._figures(measure, parsed, fail) if measure and numbers_read else None
        if not (measure and month and area and figures) or failed:
            return None
        key = (measure.code, month, area, breakdown)
        earlier = self._seen.setdefault(key, row)
        if earlier != row:
            report(
                row,
                "measure",
                f"duplicate of row {earlier} (same measure, month, area and breakdown)",
            )
            return None
        return {
            "measure_code": measure.code,
            "level": level,
            "area_code": area,
            "month": month,
            "breakdown": breakdown,
            **figures,
            "note": parsed.note,
            "row": row,
        }

    def _figures(self, measure: Any, parsed: ReturnRow, fail: Any) -> dict[str, Any] | None:
        for column in ("value", "numerator", "denominator"):
            number = getattr(parsed, column)
            if number is not None and number < 0:
                fail(column, f"negative value {number:g}")
                return None
        if measure.aggregation == Aggregation.SUM:
            if parsed.value is None:
                fail("value", "missing value")
                return None
            if parsed.numerator is not None or parsed.denominator is not None:
                fail(
                    "numerator", f"{measure.code} is a count: leave numerator and denominator empty"
                )
                return None
            if measure.unit == Unit.COUNT and not parsed.value.is_integer():
                fail("value", f"{parsed.value:g} is not a whole number")
                return None
            return {"value": parsed.value, "numerator": None, "denominator": None}
        numerator, denominator = parsed.numerator, parsed.denominator
        if numerator is None or denominator is None:
            fail(
                "numerator" if numerator is None else "denominator",
                f"{measure.code} is a percentage: give numerator and denominator",
            )
            return None
        if numerator > denominator:
            fail(
                "numerator", f"numerator {numerator:g} is greater than denominator {denominator:g}"
            )
            return None
        percent = ratio_percent(numerator, denominator)
        if (
            parsed.value is not None
            and denominator
            and abs(parsed.value - percent) > PERCENT_TOLERANCE
        ):
            fail(
                "value",
                f"{parsed.value:g}% does not match numerator / denominator ({percent:.1f}%)",
            )
            return None
        return {"value": percent, "numerator": numerator, "denominator": denominator}

    def add(self, record: Any) -> None:
        self.months.add(record["month"])
        self.count("return rows")
        self.rows.append(record)

    def finish(self, report: Report, rows_again: RowsAgain) -> None:  # noqa: ARG002 (Kind.finish)
        """Breakdown rows must add up to their total where both are given; where only the
        breakdown is given, the total is their sum."""
        frame = pd.DataFrame(self.rows)
        if frame.empty:
            return
        key = ["measure_code", "level", "area_code", "month"]
        parts = frame[frame["breakdown"] != "total"]
        sums = parts.groupby(key)["value"].sum()
        totals = frame[frame["breakdown"] == "total"].set_index(key)
        for index, total in sums.items():
            if index in totals.index:
                given = totals.loc[index]
                if abs(given["value"] - total) > 1e-9:
                    report(
                        int(given["row"]),
                        "value",
                        f"total {given['value']:g} is not the sum of its breakdown rows "
                        f"({total:g})",
                    )
            else:
                self.rows.append(
                    dict(
                        zip(key, index, strict=True),
                        breakdown="total",
                        value=total,
                        numerator=None,
                        denominator=None,
                        note=None,
                        row=0,
                    )
                )

    def observations(self) -> pd.DataFrame:
        return observation_frame([{k: v for k, v in r.items() if k != "row"} for r in self.rows])


def observation_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as an observations frame with every column the table needs."""
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    breakdown = frame["breakdown"].astype(object)
    frame["breakdown"] = breakdown.where(breakdown.notna(), TOTAL)
    frame["value"] = frame["value"].astype(float)
    return frame
