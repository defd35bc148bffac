"""Counts of an incident extract's records, kept while they are checked (pass 1), so that the
load writes its aggregates and monthly figures without counting the stored rows again.

The counts live in fixed arrays (month x district x hour x weekday, and month x district x
category x the three flags): their size depends on the catalogue and the months a file may
hold, never on the file. `manage.py check` recounts the stored aggregates from the incident
rows, and the load refuses to finish when the rows written are not the rows counted.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from db.aggregates import HOURS, WEEKDAYS, IncidentCounts
from ingest.incident_batch import FLAGS


class IncidentTally:
    def __init__(
        self, *, districts: list[str], categories: list[str], first: date, last: date
    ) -> None:
        self.districts = districts
        self.categories = categories
        self.first = np.datetime64(first, "M")
        self.month_count = int(np.datetime64(last, "M") - self.first) + 1
        self.cells = np.zeros((self.month_count, len(districts), HOURS, WEEKDAYS), np.int64)
        self.flags = np.zeros(
            (self.month_count, len(districts), len(categories), *([2] * len(FLAGS))), np.int64
        )

    def add(self, records: pd.DataFrame) -> None:
        """Count a batch of checked records (columns of `ingest.incident_batch.RECORD_COLUMNS`)."""
        if records.empty:
            return
        month = (records["month"].to_numpy().astype("datetime64[M]") - self.first).astype(np.int64)
        district = pd.Categorical(records["district_code"], categories=self.districts).codes
        category = pd.Categorical(records["category"], categories=self.categories).codes
        hour = records["hour"].to_numpy(np.int64)
        weekday = records["weekday"].to_numpy(np.int64)
        cell = np.ravel_multi_index((month, district, hour, weekday), self.cells.shape)
        self.cells += np.bincount(cell, minlength=self.cells.size).reshape(self.cells.shape)
        flags = [records[f].to_numpy(np.int64) for f in FLAGS]
        index = np.ravel_multi_index((month, district, category, *flags), self.flags.shape)
        self.flags += np.bincount(index, minlength=self.flags.size).reshape(self.flags.shape)

    def counts(self) -> IncidentCounts:
        """The counts as the frames the load writes (cells and months without zeros)."""
        months = pd.date_range(pd.Timestamp(self.first), periods=self.month_count, freq="MS").date
        m, d, h, w = np.nonzero(self.cells)
        cells = pd.DataFrame(
            {
                "month": months[m],
                "district_code": np.asarray(self.districts, dtype=object)[d],
                "hour": h,
                "weekday": w,
                "count": self.cells[m, d, h, w],
            }
        )
        per_month = self.cells.sum(axis=(1, 2, 3))
        held = np.nonzero(per_month)[0]
        by_month = pd.DataFrame({"month": months[held], "rows": per_month[held]})
        index = np.nonzero(self.flags)
        m, d, c, *flags = index
        by_flags = pd.DataFrame(
            {
                "month": months[m],
                "district_code": np.asarray(self.districts, dtype=object)[d],
                "category": np.asarray(self.categories, dtype=object)[c],
                **{name: flag.astype(bool) for name, flag in zip(FLAGS, flags, strict=True)},
                "n": self.flags[index],
            }
        )
        return IncidentCounts(cells=cells, months=by_month, flags=by_flags)
