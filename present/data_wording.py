"""Words of the Data store page about police.uk files: the quality of each month, archives
and the publication each month came from. Used by `views.data_quality` and `views.data_archive`
(the rest of the dashboard's words are in `present.wording`)."""

from __future__ import annotations

import pandas as pd

from present.wording import NO_FIGURE, counted, missing

# --- police.uk data quality --------------------------------------------------------------------

QUALITY_LABELS = {
    "rows": "Rows",
    "rows_kept": "Rows of the crime types measured",
    "no_location": "No location",
    "unrecognised_codes": "Of which an unrecognised LSOA code",
    "outside_districts": "Outside the districts",
    "repeated_crime_ids": "Repeated Crime IDs",
    "lsoa_2011": "2011 LSOA codes",
    "lsoa_2021": "2021 LSOA codes",
    "other_force_files": "Other forces' files skipped",
    "outcome_rows": "Outcome rows",
}


def street_file(present: bool, facts_kept: bool, gap: bool) -> str:
    """The Data page's word for a month's police.uk street file (`gap`: a month between the
    first and the last with a street file)."""
    if not present:
        return "Missing" if gap else "None (outcomes only)"
    return "Yes" if facts_kept else "Yes (loaded before quality facts were kept)"


def archive_heading(name: str, months: int) -> str:
    return f"**{name}**: a police.uk archive of {counted(months, 'month')}."


def archive_without_force(name: str, force: str) -> str:
    return f"**{name}** holds no police.uk file of {force}. Nothing was written."


def archive_month_result(has_files: bool, problems: int) -> str:
    """What will happen to one month of an archive."""
    if not has_files:
        return "No file of this force"
    if problems:
        return f"Refused: {counted(problems, 'problem')}"
    return "Ready to load"


def published_text(month_of, code) -> str:
    """A month's publication with its outcomes' age: "April 2024 (3 months on)"; "–" where
    not recorded (loads made before publications were kept)."""
    if missing(code) or not code:
        return NO_FIGURE
    when = pd.Timestamp(year=int(code) // 100, month=int(code) % 100, day=1)
    start = pd.Timestamp(month_of)
    age = (when.year - start.year) * 12 + when.month - start.month
    return f"{when:%B %Y} ({'same month' if age == 0 else counted(age, 'month') + ' on'})"


def archive_published(month: str, published: str) -> str:
    """The publication an archive's month was loaded as (its outcomes as known then)."""
    when = pd.Timestamp(published or month)
    return f"{month}: outcomes as published in {when:%B %Y} (the archive's newest month)."


def archive_month_failed(month: str, loaded: int, ready: int, why: str) -> str:
    return (
        f"{month} was not loaded and nothing of it was written ({why}). "
        f"{loaded} of {counted(ready, 'ready month')} were loaded before it; load the archive "
        "again to load the rest (months already loaded are recognised and left as they are)."
    )
