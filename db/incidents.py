"""Monthly observations counted from incident-level ASB records, in the database."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from config import Catalogue
from db.models import TOTAL
from db.queries import incident_counts


def incident_observations(*, session: Session, catalogue: Catalogue, load_id: int) -> pd.DataFrame:
    """Observations for every measure with `from_incidents`, from one load's incidents: a total
    per district and month (zeros included) and, where the measure has a breakdown by ASB
    category, one row per category. Counting happens in SQL; only the counts reach pandas."""
    districts = [d.ons_code for d in catalogue.geography.district]
    parts = []
    for measure in catalogue.measures.measure:
        if measure.from_incidents is None:
            continue
        flag = None if measure.from_incidents == "all" else measure.from_incidents
        by_category = measure.breakdown is not None
        counts = incident_counts(
            session=session, load_id=load_id, flag=flag, by_category=by_category
        )
        allocated = counts[counts["district_code"].notna()]
        if allocated.empty:
            continue
        months = pd.date_range(min(allocated["month"]), max(allocated["month"]), freq="MS").date
        grid = pd.MultiIndex.from_product([districts, months], names=["district_code", "month"])
        total = allocated.groupby(["district_code", "month"])["count"].sum()
        parts.append(_rows(measure.code, total.reindex(grid, fill_value=0), TOTAL))
        if by_category:
            for category in measure.breakdown.values:
                subset = allocated[allocated["category"] == category]
                series = subset.groupby(["district_code", "month"])["count"].sum()
                parts.append(_rows(measure.code, series.reindex(grid, fill_value=0), category))
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    frame["load_id"] = load_id
    return frame


def _rows(code: str, counts: pd.Series, breakdown: str) -> pd.DataFrame:
    frame = counts.rename("value").astype(float).reset_index()
    return frame.rename(columns={"district_code": "area_code"}).assign(
        measure_code=code, level="district", breakdown=breakdown, numerator=None, denominator=None
    )
