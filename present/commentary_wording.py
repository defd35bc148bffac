"""The words of commentary wherever it is shown (operation pages, the Commentary page): the
commentary itself as plain text (what owners write is drawn with st.text, never read as
markdown or HTML: escaping is not enough, as markdown still turns a web or e-mail address into
a link), the note of a measure awaiting commentary, and the exceptions table."""

from __future__ import annotations

import re

import pandas as pd

from config.models import Status
from config.vocabulary import Level
from metrics.exceptions import Exceptions
from present import wording as w

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
NO_COMMENTARY = "No commentary has been written on this measure in {area} yet."
AWAITING = (
    "Awaiting commentary: {status} in {area} and nothing written since. The measure owner "
    "writes it on the Commentary page."
)
NO_EXCEPTIONS = (
    "No measure is awaiting commentary here: none is missed, off track or at risk without it."
)
HISTORY_EMPTY = "Nothing has been written on this measure in {area} for {month} yet."


def plain(text: str | None) -> str:
    """User text for st.markdown, every markdown and HTML character escaped, so it shows as
    typed: a link, image or tag in it stays inert text."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "").replace("\n", "  \n")


def heading(note: pd.Series) -> str:
    """The commentary's month, version and time as markdown (nothing in it was typed)."""
    return (
        f"**Commentary for {w.month(note['month'])}** (version {note['version']}, "
        f"{note['written_at']:%d %B %Y %H:%M})"
    )


def written_by(note: pd.Series) -> str:
    """Who wrote it, for st.text (an account name may look like an e-mail address, which
    markdown would turn into a link)."""
    return f"Written by {note['written_by']}"


def fields(note: pd.Series) -> list[tuple[str, str]]:
    """(label, text) for what happened, why, the actions, and the owner with the due date: the
    label drawn as markdown, the text as plain text (st.text), never read as markdown."""
    found = [("What happened.", note["what"])]
    if note["why"]:
        found.append(("Why.", note["why"]))
    if note["actions"]:
        found.append(("Actions.", note["actions"]))
    due = f", due {note['due']:%d %B %Y}" if pd.notna(note["due"]) and note["due"] else ""
    found.append(("Owner.", f"{note['owner'] or 'not named'}{due}"))
    return found


def awaiting(status: str, area: str) -> str:
    return AWAITING.format(status=w.status_label(status), area=area)


def waited(row: pd.Series) -> str:
    """How long an exception has waited, among the months scored."""
    since = w.month(row["since"])
    if row["open_ended"]:
        return f"since {since} or earlier ({row['months']} months or more)"
    return f"since {since} ({row['months']} month{'s' if row['months'] != 1 else ''})"


def exceptions_table(
    found: Exceptions, titles: dict[str, str], area_order: list[str]
) -> pd.DataFrame:
    """The exceptions, the force first, then divisions, then districts, worst status first."""
    worst = {s.value: i for i, s in enumerate(Status)}
    rows = found.rows.assign(
        _area=found.rows["area"].map({a: i for i, a in enumerate(area_order)}),
        _status=found.rows["status"].map(worst),
    ).sort_values(["_area", "_status", "measure"])
    return pd.DataFrame(
        {
            "Measure": rows["measure"].map(titles),
            "Area": rows["area"],
            "Status": [w.status_label(s) for s in rows["status"]],
            "Waiting": [waited(r) for _, r in rows.iterrows()],
        }
    )


def history_table(versions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Version": versions["version"],
            "Written by": versions["written_by"],
            "When": [f"{t:%d %B %Y %H:%M}" for t in versions["written_at"]],
            "What happened": versions["what"],
            "Why": versions["why"],
            "Actions": versions["actions"],
            "Owner": versions["owner"],
            "Due": [f"{d:%d %B %Y}" if pd.notna(d) and d else "" for d in versions["due"]],
            "Public": [publication(v) for _, v in versions.iterrows()],
        }
    )


def publication(note: pd.Series) -> str:
    """Where a version stands with the public summary: "no" (not marked public), "awaiting
    approval", "published on ... approved by ..." or "refused on ... by ...: reason"."""
    if not note["public"]:
        return "no"
    decision = note.get("decision")
    if not isinstance(decision, str) or not decision:
        return "awaiting approval"
    when = f"{note['decided_at']:%d %B %Y}"
    if decision == "approved":
        return f"published on {when} approved by {note['decided_by']}"
    return f"refused on {when} by {note['decided_by']}: {note['reason']}"


PUBLIC_LABEL = 'Public: show in the public summary\'s "You said, we did"'
PUBLIC_HELP = (
    "What happened and the actions appear in the six-monthly public summary, in plain "
    "English for residents, once a second person (scrutiny or admin) has approved them. "
    "Write nothing that could identify anyone: no small numbers, names or addresses."
)
PUBLICATION = "Publication in the public summary"
FINDINGS = (
    "The check on the published words (what happened and the actions) found {count} thing(s) "
    "to look at: numbers below {threshold} can give away figures the summary withholds, and "
    "names or addresses can identify someone. The approver confirms each one."
)
NO_FINDINGS = "The check on the published words found no small number, name or address."
NOT_PUBLIC = "This version is not marked public: the public summary does not show it."
AWAITS = "Version {version}, written by {writer}, awaits approval by a second person ({roles})."
OWN = "You wrote this version: a second person must approve it."
CONFIRM = "Checked: {label}"
PUBLISH, REFUSE = "Approve for the public summary", "Refuse"
REASON = "Reason for refusing (shown to the writer)"
DECIDED = {
    True: "Version {version} approved: the public summary shows it.",
    False: "Version {version} refused: the public summary does not show it.",
}
QUEUE = "Public commentary awaiting approval"
QUEUE_EMPTY = "No public commentary awaits approval."
NEEDS_WHAT = "Write at least what happened: nothing was saved."


def saved(version: int | None, *, public: bool = False) -> str:
    if version is None:
        return "Nothing changed: the commentary is as it was."
    said = f"Commentary saved as version {version}; earlier versions are kept below."
    if public:
        said += " It awaits approval by a second person before the public summary shows it."
    return said


def findings_text(count: int, threshold: int) -> str:
    return FINDINGS.format(count=count, threshold=threshold) if count else NO_FINDINGS


def queue_table(waiting: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Measure": waiting["measure_code"].map(titles),
            "Area": waiting["area"],
            "Month": [w.month(m) for m in waiting["month"]],
            "Version": waiting["version"],
            "Written by": waiting["written_by"],
        }
    )


def exceptions_caption(months_scored: tuple) -> str:
    scored = " and ".join(w.month(m) for m in months_scored)
    return (
        "A measure is listed when it is missed, off track or at risk and no commentary has been "
        f"written on it since its status turned. Statuses are read for {scored}: a status "
        "that holds in both may have turned earlier."
    )


def exceptions_summary(found: Exceptions, levels: dict[str, str]) -> str:
    """How many exceptions, by level of area: "107 awaiting commentary: 3 force-wide, ..."."""
    by_level = found.rows["area"].map(levels).value_counts()
    parts = [
        f"{by_level.get(level, 0)} {words}"
        for level, words in (
            (Level.FORCE, "force-wide"),
            (Level.DIVISION, "in divisions"),
            (Level.DISTRICT, "in districts"),
        )
        if by_level.get(level, 0)
    ]
    return f"{len(found.rows)} awaiting commentary: {', '.join(parts)}."


NONE_IN_AREAS = "No commentary has been written on this measure in any district yet."
NO_COMMENTARY_HERE = "No commentary has been written on the measures of {area} yet."


def summary_label(title: str, note: pd.Series) -> str:
    """The label above one measure's (or area's) latest commentary: title and month, as
    markdown; what happened is drawn under it as plain text (st.text)."""
    return f"**{plain(title)}** ({w.month(note['month'])})"


def awaiting_count(count: int, area: str) -> str:
    measures = "measure" if count == 1 else "measures"
    return (
        f"{count} {measures} missed, off track or at risk in {area} "
        f"{'has' if count == 1 else 'have'} no commentary yet: the Commentary page lists them."
    )
