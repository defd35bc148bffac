"""The words of the board pack that the pages do not already have: the cover, the headings,
the notes under tables. Shared words come from `present.wording` and its siblings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from config.force import POLICE_FORCE
from config.models import Status
from config.text import clean_text
from config.vocabulary import FileKind, Level, Unit
from metrics.periods import Comparison
from metrics.scorecard import Score
from present import trackrecord_wording as _track
from present import window_wording as ww
from present import wording as w
from present.commentary_wording import NO_EXCEPTIONS  # noqa: F401 (the same words in the pack)

TITLE = "ASB Action Plan: board pack"
DEMO_LABEL = (
    "DEMONSTRATION DATA: the figures in this pack are synthetic, made to show the pack. They "
    f"are not {POLICE_FORCE} data."
)
DEMO_RUNNING = "DEMONSTRATION DATA: not real figures"
LEAGUE_NOTE = (
    "Each district's status for each measure: the icon, its latest 12 months (a count for small "
    "numbers such as fatal collisions, never a percentage change) and, under it (after · in the "
    "workbook), the chance of meeting the target where the status is judged on it; – means no "
    "figures for it there. The "
    "Excel workbook's District figures sheet gives each baseline and change on it as numbers."
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
    """A district's cell of the pack's league: the status icon, the latest 12 months and the
    chance of meeting the target where the status is judged on one: "✖ 1 · 3%" or
    "● 24.1% · 97%" (the icon alone where there is no 12-month figure yet)."""
    icon = w.STATUS_ICONS[Status(score.status)]
    if w.missing(score.rolling_12m):
        return icon
    value = score.rolling_12m
    figure = f"{value:.1f}%" if measure.unit == Unit.PERCENT else f"{value:,.0f}"
    if Status(score.status) not in JUDGED_ON_CHANCE:
        return f"{icon}{NBSP}{figure}"
    return f"{icon}{NBSP}{figure} · {w.chance(score.probability).replace(' ', NBSP)}"


NBSP = "\u00a0"  # a league cell breaks only before its chance


JUDGED_ON_CHANCE = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)


def baseline_change(score: Score, measure) -> str:
    """The latest 12 months against the baseline year as a number and a per cent: "−856
    (−1.6%) on the baseline year"; percentage points for a percentage; the number alone for
    small numbers (a per cent of 2 misleads)."""
    change = Comparison(score.rolling_12m, score.baseline)
    if w.missing(change.change):
        return "Change on the baseline year: none yet (no complete baseline or latest 12 months)."
    if measure.unit == Unit.PERCENT:
        number = f"{change.change:+.1f} percentage points"
    else:
        number = f"{change.change:+,.0f}" + (" hours" if measure.unit == Unit.HOURS else "")
    if measure.small_numbers or w.missing(change.change_pct):
        return f"Change on the baseline year: {number} (no per cent: small numbers)."
    return f"Change on the baseline year: {number} ({change.change_pct:+.1f}%)."


SOURCE_NAMES = {
    FileKind.POLICEUK: "police.uk",
    FileKind.INCIDENTS: "force systems",
    FileKind.RETURNS: "force systems",
    "demo": "police.uk / force systems",  # the demonstration stands in for both
}


_SOURCE_ORDER = ["police.uk", "force systems"]


def freshness(pack) -> str:
    """The line on every page, sheet and the HTML's top: "Data to October 2026, loaded
    05 December 2026; source police.uk / force systems; demonstration data"."""
    loaded = pack.store.last_loaded_at
    names = " / ".join(SOURCE_NAMES.get(s, s) for s in pack.sources).split(" / ")
    parts = [
        f"Data to {w.month(pack.as_of)}, loaded {loaded:%d %B %Y}" if loaded else "No data loaded",
        "source " + " / ".join(sorted(set(names), key=lambda n: (*_SOURCE_ORDER, n).index(n))),
    ]
    if pack.is_demo:
        parts.append("demonstration data")
    return "; ".join(parts)


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
    return frame[frame["Area"].map(levels) != Level.DISTRICT]


def moves_by_district(moves: pd.DataFrame) -> pd.DataFrame:
    """Status moves of each district: how many, how many better and worse."""
    mine = moves[moves["level"] == Level.DISTRICT]
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
    mine = found[found["Area"].map(levels) == Level.DISTRICT]
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


# The actions log (db.actions) and the commentary written since the last meeting.
NO_OPEN_ACTIONS = "No action is open."
NO_CLOSED_ACTIONS = "No action was closed in this time."
ACTIONS_NOTE = (
    "Actions and matters arising are recorded on the dashboard's Board pack page. An action "
    "stays in every pack from the meeting it was raised at until it is closed; owners are "
    "roles, not names."
)


def closed_heading(previous: date | None) -> str:
    if previous is None:
        return "Closed (no last meeting given: every action closed by this meeting)"
    return f"Closed since the last meeting ({w.day(previous)})"


def shown_under(section) -> str:
    """Where a measure several operations share is shown in full."""
    return f"Shown in full, with its figures, charts and commentary, under {section.shown_under}."


def actions_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The actions log as read (`db.actions` columns with `measure` titles)."""
    return pd.DataFrame(
        {
            "No.": actions["id"],
            "Action": actions["what"],
            "Measure": [m or "–" for m in actions["measure"]],
            "Area": actions["area"],
            "Owner": actions["owner"],
            "Due": [w.day(d) if _is_day(d) else "not set" for d in actions["due"]],
            "Raised at": [w.day(d) for d in actions["raised_at"]],
            "Status": actions["status"],
            "Closed": [w.day(d) if _is_day(d) else "–" for d in actions["closed_at"]],
        }
    )


def _is_day(value) -> bool:
    return value is not None and value == value


def commentary_table(written: pd.DataFrame) -> pd.DataFrame:
    """Commentary versions written since the last meeting: what, measure, area, by, when."""
    return pd.DataFrame(
        {
            "What happened": written["what"],
            "Measure": written["measure"],
            "Area": written["area"],
            "Month": [w.month(m) for m in written["month"]],
            "Version": written["version"],
            "By": written["written_by"],
            "When": [f"{t:%d %B %Y %H:%M}" for t in written["written_at"]],
        }
    )
