"""Districts side by side (issue 25): a sample's compliance in the force, an area and each of
its districts, in the order the page and the board pack show them, and the cases reviewed in
each area."""

from __future__ import annotations

import pandas as pd

from config import Catalogue
from config.vocabulary import Level


def side_by_side(table: pd.DataFrame, catalogue: Catalogue, area: str) -> pd.DataFrame:
    """The rows of `table` (`dipsampling.report`) for `area` and the areas beside it: the
    force, the area's division (for a district), the area, then each of its districts."""
    from dipsampling import districts_in

    geo = catalogue.geography
    level = catalogue.area_level(area)
    order = [geo.force]
    if level == Level.DISTRICT:
        order.append(geo.district_by_name(area).division)
    if level != Level.FORCE:
        order.append(area)
    inside = set(districts_in(catalogue, area))
    order += [d.name for d in geo.district if d.ons_code in inside]
    order = list(dict.fromkeys(order))
    rows = table[table["area"].isin(order)]
    return rows.sort_values("area", key=lambda a: a.map(order.index), kind="stable")


def reviewed_by_area(done: pd.DataFrame, catalogue: Catalogue) -> dict[str, int]:
    """Cases given a verdict in each area (`dipsampling.progress` rows)."""
    from dipsampling import areas

    reviewed = done[done["verdict"].notna()]
    found = areas(catalogue).merge(reviewed[["district_code"]], on="district_code")
    return found.groupby("area").size().to_dict()
