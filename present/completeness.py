"""What the store holds and what a load would do, laid out for the Data page (no drawing, no
SQL here; the months between two months are `metrics.periods.months_between`).

- The **completeness grid** has a row per measure and a column per month; each cell says how
  many of the districts have a figure shown on the dashboard ("14/14", "9/14"), or "—" when
  none has. A grid for one measure has a row per district: "✓" where its figure is present,
  "✗ missing" where it is not. Only district figures of the total (no breakdown) count.
- **Sources side by side**: where two kinds of file give the same measure, the force-wide
  figure each gives for a month, and which of them the dashboard shows.
- The **load history** has a row per load, newest first, with its status in words: "active",
  "undone on ... by ..." or "demonstration"; the **preview** of a file says per measure and
  month how many figures are new, replace one, change one or are held back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import pandas as pd

from config.vocabulary import FileKind
from metrics.periods import months_between  # noqa: F401 (the months the page lays out)

NONE = "—"
PRESENT = "✓"
MISSING = "✗ missing"
NOT_GIVEN = "no figure"
MONTH_LABEL = "%b %Y"
SOURCE_LABELS = {
    FileKind.INCIDENTS: "incident extracts",
    FileKind.POLICEUK: "police.uk",
    FileKind.RETURNS: "monthly returns",
    "demo": "demonstration data",
}
HISTORY_COLUMNS = ["Load", "Loaded", "By", "Kind", "File", "Rows", "Months", "Status"]


def latest_months(
    last: date, count: int = 12, *, earliest: date | None = None
) -> tuple[date, date]:
    """The first and last month of the `count` months ending with `last`, starting no earlier
    than `earliest` when it is given."""
    first = (pd.Timestamp(last.replace(day=1)) - pd.DateOffset(months=count - 1)).date()
    if earliest is not None:
        first = max(first, earliest.replace(day=1))
    return first, last.replace(day=1)


def month_label(month: date) -> str:
    """A month as a column heading, e.g. "Jan 2024"."""
    return month.strftime(MONTH_LABEL)


def district_counts(
    present: pd.DataFrame,
    measures: Mapping[str, str],
    months: Sequence[date],
    districts: Sequence[str],
) -> pd.DataFrame:
    """Measure x month: how many of `districts` (ONS codes) have a figure, as text.

    `present` has columns measure, month, area_code (as `db.history.completeness` gives);
    `measures` maps each code to the label of its row, in the order wanted. Rows with an area
    that is not one of `districts` are ignored."""
    total = len(districts)
    known = present[present["area_code"].isin(districts)]
    counts = known.groupby(["measure", "month"])["area_code"].nunique().to_dict()
    rows = []
    for code, label in measures.items():
        row: dict[str, str] = {"Measure": label}
        for month in months:
            found = counts.get((code, month), 0)
            row[month_label(month)] = f"{found}/{total}" if found else NONE
        rows.append(row)
    return pd.DataFrame(rows, columns=["Measure", *(month_label(m) for m in months)])


def district_grid(
    present: pd.DataFrame,
    measure: str,
    months: Sequence[date],
    districts: Mapping[str, str],
) -> pd.DataFrame:
    """District x month for one measure: "✓" where the district has a figure, "✗ missing"
    where it has none. `districts` maps ONS code to the name shown, in the order wanted."""
    mine = present[present["measure"] == measure]
    have = set(zip(mine["area_code"], mine["month"], strict=True))
    rows = []
    for code, name in districts.items():
        row = {"District": name}
        for month in months:
            row[month_label(month)] = PRESENT if (code, month) in have else MISSING
        rows.append(row)
    return pd.DataFrame(rows, columns=["District", *(month_label(m) for m in months)])


def missing_count(grid: pd.DataFrame) -> int:
    """How many cells of a `district_grid` are missing."""
    return int((grid == MISSING).to_numpy().sum())


def sources_side_by_side(
    figures: pd.DataFrame,
    sources: Mapping[str, str],
    months: Sequence[date],
    decimals: int = 0,
) -> pd.DataFrame:
    """Month x source: the force-wide figure each source gives, rounded to `decimals`, and
    which source the dashboard shows ("no figure" when none gives the month).

    `figures` has columns month, source, value, shown (as `db.history.by_source` gives);
    `sources` maps each source to its column heading, in the order wanted. Sources not in
    `sources` (such as the demonstration data) are added after them. "Shown" is the name
    of the source shown."""
    labels = dict(sources)
    for source in figures["source"].unique():
        labels.setdefault(source, SOURCE_LABELS.get(source, source))
    rows = []
    for month in months:
        mine = figures[figures["month"] == month]
        row: dict[str, object] = {"Month": month.strftime("%B %Y")}
        for source, label in labels.items():
            value = mine.loc[mine["source"] == source, "value"]
            row[label] = round(float(value.iloc[0]), decimals) if len(value) else None
        shown = [labels[s] for s in mine.loc[mine["shown"], "source"]]
        row["Shown on the dashboard"] = ", ".join(shown) if shown else NOT_GIVEN
        rows.append(row)
    return pd.DataFrame(rows, columns=["Month", *labels.values(), "Shown on the dashboard"])


def months_text(first: date | None, last: date | None) -> str:
    """A run of months in words: "January 2024", "January 2024 to April 2024" or "—" when
    the load did not record them."""
    if first is None or pd.isna(first):
        return NONE
    if last is None or pd.isna(last) or first == last:
        return f"{first:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def load_status(is_demo: bool, undone_at: datetime | None, undone_by: str | None) -> str:
    """A load's status in words."""
    if is_demo:
        return "demonstration"
    if undone_at is not None and not pd.isna(undone_at):
        return f"undone on {undone_at:%d %b %Y %H:%M} by {undone_by}"
    return "active"


def history_table(history: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """`db.history.load_history` as the page shows it, newest first. `kinds` maps the name of
    each kind of file to the words shown; a load without a kind (the demonstration data) is
    named by its source."""
    rows = [
        {
            "Load": int(r.id),
            "Loaded": f"{r.loaded_at:%d %b %Y %H:%M}",
            "By": r.loaded_by,
            "Kind": kinds.get(r.kind, r.kind)
            if isinstance(r.kind, str) and r.kind
            else SOURCE_LABELS.get(r.source, r.source),
            "File": r.file_name,
            "Rows": int(r.rows),
            "Months": months_text(r.first_month, r.last_month),
            "Status": load_status(bool(r.is_demo), r.undone_at, r.undone_by),
            "What it did": r.summary if isinstance(r.summary, str) else "",
        }
        for r in history.sort_values("id", ascending=False).itertuples()
    ]
    return pd.DataFrame(rows, columns=[*HISTORY_COLUMNS, "What it did"])


def preview_table(preview: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """`db.history.preview` as the page shows it: measure titles (from `titles`), month names
    and the sources that hold figures back in words."""
    return pd.DataFrame(
        {
            "Measure": [titles.get(c, c) for c in preview["measure"]],
            "Month": [m.strftime("%B %Y") for m in preview["month"]],
            "Figures in the file": preview["figures"].astype(int),
            "New": preview["new"].astype(int),
            "Replace a figure": preview["replace"].astype(int),
            "Of which change it": preview["change"].astype(int),
            "Held back by": [
                ", ".join(SOURCE_LABELS.get(x, x) for x in str(s).split(", ") if x)
                for s in preview["held back by"]
            ],
        },
        columns=[
            "Measure",
            "Month",
            "Figures in the file",
            "New",
            "Replace a figure",
            "Of which change it",
            "Held back by",
        ],
    )
