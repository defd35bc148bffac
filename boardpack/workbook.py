"""The pack as an Excel workbook of every figure in it: one sheet per part, each opening with
the pack's title and its freshness and source line, tables typed with frozen panes and filters
(`boardpack.xlsx`). The monthly figures are the rows `manage.py export` gives for the pack's
area and every area inside it (the force, its divisions and districts), months as dates."""

from __future__ import annotations

import io

import pandas as pd

from boardpack import xlsx
from boardpack.content import Pack
from present import pack_words as words


def _cover(pack: Pack) -> pd.DataFrame:
    lines = [words.TITLE, *words.cover_lines(pack)]
    if pack.is_demo:
        lines.append(words.DEMO_LABEL)
    return pd.DataFrame({"Board pack": lines})


def _commentary(pack: Pack) -> pd.DataFrame:
    rows = [
        {
            "Measure": m.title,
            "Operation": op.name,
            "Status": m.status,
            "Why": m.reason,
            "Commentary month": pd.Timestamp(m.commentary["month"]) if m.commentary else None,
            "Version": m.commentary["version"] if m.commentary else None,
            "What happened": m.commentary["what"] if m.commentary else "",
            "Why it happened": m.commentary["why"] if m.commentary else "",
            "Actions": m.commentary["actions"] if m.commentary else "",
            "Owner and due": words.due_text(m.commentary) if m.commentary else "",
            "Awaiting commentary": "yes" if m.awaiting else "no",
        }
        for op in pack.operations
        for m in op.measures
        if m.shown_under is None  # a shared measure once
    ]
    return pd.DataFrame(rows)


def _dates(values) -> list:
    return [pd.Timestamp(v) if v is not None and v == v else None for v in values]


def _actions(pack: Pack) -> pd.DataFrame:
    a = pack.actions
    return pd.DataFrame(
        {
            "No.": a["id"],
            "Action": a["what"],
            "Measure": a["measure"],
            "Area": a["area"],
            "Owner": a["owner"],
            "Due": _dates(a["due"]),
            "Raised at": _dates(a["raised_at"]),
            "Status": a["status"],
            "Closed": _dates(a["closed_at"]),
            "Open at this meeting": ["yes" if o else "no" for o in a["open_at_meeting"]],
        }
    )


def _since(pack: Pack) -> dict[str, pd.DataFrame]:
    c = pack.changes
    loads = c.loads
    months = pd.to_datetime(c.special_causes["Month"], format="%B %Y")
    return {
        "Status moves": c.moves.drop(columns=["level", "better"]),
        "Special causes": c.special_causes.assign(Month=months),
        "Loads since": pd.DataFrame(
            {
                "File": words.loads_table(loads)["File"],
                "Kind": loads["source"],
                "Rows": loads["rows"],
                "First month": _dates(loads["first_month"]),
                "Last month": _dates(loads["last_month"]),
                "Loaded": _dates(loads["loaded_at"]),
                "By": loads["loaded_by"],
                "Demonstration": ["yes" if d else "no" for d in loads["is_demo"]],
            }
        ),
        "Republished since": c.revisions.assign(month=_dates(c.revisions["month"])).rename(
            columns={
                "month": "Month",
                "records_added": "Records added",
                "records_removed": "Records removed",
            }
        ),
        "Commentary since": words.commentary_table(c.commentary).assign(
            Month=_dates(c.commentary["month"]), When=_dates(c.commentary["written_at"])
        ),
    }


def sheets(pack: Pack) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in the pack's order."""
    found = {"Cover": _cover(pack), "Summary": pack.summary_typed}
    found["Summary figures"] = pack.summary_raw
    if pack.changes is not None:
        found.update(_since(pack))
    found["Actions"] = _actions(pack)
    found["Exceptions"] = pack.exceptions
    found["Commentary"] = _commentary(pack)
    found["District league"] = pack.league
    found["District figures"] = pack.league_typed
    if pack.dip is not None:
        found["Dip sample"] = pack.dip.compliance
        if not pack.dip.districts.empty:
            found["Dip sample districts"] = pack.dip.districts
        if pack.dip.follow_up is not None:
            found["Dip follow-up"] = pack.dip.follow_up.log
    found["Monthly figures"] = pack.monthly.assign(month=_dates(pack.monthly["month"]))
    found["Definitions"] = pack.definitions
    if not pack.track_record.empty:
        found["Forecast track record"] = pack.track_record
    return found


DAY_COLUMNS = ("Due", "Raised at", "Closed")


def render(pack: Pack) -> bytes:
    out = io.BytesIO()
    lines = [
        f"{words.TITLE}: {pack.area}, meeting of {pack.meeting:%d %B %Y}",
        words.freshness(pack),
    ]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets(pack).items():
            xlsx.write_sheet(writer, name, frame, lines, table=name != "Cover", days=DAY_COLUMNS)
    return out.getvalue()
