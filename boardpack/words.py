"""The words of the board pack that the pages do not already have: the cover, the headings,
the notes under tables. Shared words come from `views.wording` and its siblings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from config.models import Status
from config.text import clean_text
from metrics.scorecard import Score
from views import trackrecord_wording as _track
from views import window_wording as ww
from views import wording as w
from views.commentary_wording import NO_EXCEPTIONS  # noqa: F401 (the same words in the pack)

TITLE = "ASB Action Plan: board pack"
DEMO_LABEL = (
    "DEMONSTRATION DATA: the figures in this pack are synthetic, made to show the pack. They "
    "are not Lancashire Constabulary data."
)
DEMO_RUNNING = "DEMONSTRATION DATA: not real figures"
LEAGUE_NOTE = (
    "Each district's status for each measure, with its latest 12 months beside the icon (a "
    "count for small numbers such as fatal collisions, never a percentage change); – means no "
    "figures for it there. The Excel workbook and the Districts page give each baseline and chance."
)
NO_DIP = "No dip sample has answers in this area yet."
NO_COMMENTARY = "No commentary written."
AWAITING = "Awaiting commentary: the status needs it and none has been written."
NO_CHANGES = "Nothing changed here since the last meeting."
SOURCES = (
    "Figures come from the force's ASB incident extracts and monthly returns, and from "
    "police.uk street-level crime and outcome files, as loaded in the dashboard's store. "
    "Statuses, SPC readings and reasons are those the dashboard shows for the same month."
)


def league_cell(score: Score, measure) -> str:
    """A district's cell of the pack's league: the status icon and the latest 12 months,
    "✖ 1" or "● 24.1%" (the icon alone where there is no 12-month figure yet)."""
    icon = w.STATUS_ICONS[Status(score.status)]
    if w.missing(score.rolling_12m):
        return icon
    value = score.rolling_12m
    return f"{icon} {value:.1f}%" if measure.unit == "percent" else f"{icon} {value:,.0f}"


def figures_line(score: Score, measure, gaps: Sequence[date] = ()) -> str:
    """The figures a measure is judged on (the months missing where a window is partial); a
    survey's interval and respondents; months provisional because police.uk published them
    young; then the gap note when months between the first and the latest have no data."""
    line = (
        f"Latest 12 months: {w.latest_12_months(score, measure)}. Baseline year: "
        f"{w.baseline_text(score, measure)}."
    )
    young = w.publication_note(score, measure)
    notes = [note for note in (young, ww.gap_note(gaps) if gaps else "") if note]
    return " ".join([line, *notes])


def cover_lines(pack) -> list[str]:
    """The cover's lines: meeting, area, period and how fresh the data are (a `Pack`)."""
    return [
        f"Meeting of {pack.meeting:%d %B %Y}",
        f"Area: {pack.area}",
        f"Period: 12 months to {w.month(pack.as_of)} (statuses judged on the year to the target)",
        f"Data: latest month {w.month(pack.store.latest_month)}; last loaded "
        f"{pack.store.last_loaded_at:%d %B %Y %H:%M}",
    ]


def footer(area: str, as_of: date) -> str:
    return f"ASB Action Plan board pack · {area} · 12 months to {w.month(as_of)}"


def commentary_heading(note: dict) -> str:
    return (
        f"Commentary for {w.month(note['month'])} (version {note['version']}, "
        f"{note['written_by']}, {note['written_at']:%d %B %Y})"
    )


def due_text(note: dict) -> str:
    owner = note["owner"] or "not named"
    due = note["due"]
    return f"{owner}, due {due:%d %B %Y}" if due and due == due else owner


def loads_table(loads) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "File": [clean_text(name) for name in loads["file_name"]],  # stored before cleaning
            "Kind": loads["source"],
            "Rows": [f"{n:,}" for n in loads["rows"]],
            "Months": [
                w.period(a, b) if a and b else w.NO_FIGURE
                for a, b in zip(loads["first_month"], loads["last_month"], strict=True)
            ],
            "Loaded": [f"{t:%d %B %Y %H:%M}" for t in loads["loaded_at"]],
            "By": loads["loaded_by"],
            "Demonstration": ["yes" if d else "no" for d in loads["is_demo"]],
        }
    )


def revisions_table(revisions) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Month": [w.month(m) for m in revisions["month"]],
            "Records added": revisions["records_added"],
            "Records removed": revisions["records_removed"],
        }
    )


def dip_activity_table(dip) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Sample": dip["sample_id"],
            "Drawn": [f"{t:%d %B %Y}" for t in dip["drawn_at"]],
            "Answers recorded since": dip["answers"],
            "Demonstration": ["yes" if d else "no" for d in dip["is_demo"]],
        }
    )


DISTRICT_ROWS = "Districts, counted here; every row is in the Excel workbook of this pack."


def listed(frame: pd.DataFrame, levels: dict[str, str]) -> pd.DataFrame:
    """The rows of the force and the divisions (districts are counted, see `by_district`)."""
    return frame[frame["Area"].map(levels) != "district"]


def moves_by_district(moves: pd.DataFrame) -> pd.DataFrame:
    """Status moves of each district: how many, how many better and worse."""
    mine = moves[moves["level"] == "district"]
    counts = mine.groupby("Area", sort=False)["better"].agg(["size", "sum"])
    return pd.DataFrame(
        {
            "District": counts.index,
            "Status moves": counts["size"].to_numpy(),
            "Better": counts["sum"].to_numpy(),
            "Worse": (counts["size"] - counts["sum"]).to_numpy(),
        }
    )


def exceptions_by_district(found: pd.DataFrame, levels: dict[str, str]) -> pd.DataFrame:
    """Exceptions awaiting commentary in each district, by status."""
    mine = found[found["Area"].map(levels) == "district"]
    counts = pd.crosstab(mine["Area"], mine["Status"]).reindex(mine["Area"].drop_duplicates())
    counts.insert(0, "Awaiting commentary", counts.sum(axis=1))
    return counts.rename_axis(index="District", columns=None).reset_index()


PACK_INTRO = (
    "The pack reports {area}: every measure's status and reason, one section per operation with "
    "its charts and commentary, the exceptions awaiting commentary, the district league table, "
    "the latest dip-sample results and the definitions. It reads the latest month of data "
    "before the meeting's month. Choose another area in the sidebar."
)
PACK_NEEDS_PREVIOUS = "Choose a last meeting before the meeting date, or untick the box."


def pack_made(pack) -> str:
    demo = " Made from DEMONSTRATION data." if pack.is_demo else ""
    return (
        f"Pack for {pack.area}, meeting of {w.day(pack.meeting)}: {pack.period}, "
        f"{len(pack.operations)} operations.{demo}"
    )


# The forecast's track record (the same words as the Definitions page).
TRACK_RECORD_TITLE = _track.RECORD_TITLE
TRACK_RECORD = _track.RECORD_INTRO
NO_TRACK_RECORD = _track.NO_RECORD
