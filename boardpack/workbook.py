"""The pack as an Excel workbook of every figure in it: one sheet per part, text neutralised
so no cell runs as a formula (`metrics.exports.neutralise`). The monthly figures are the rows
`manage.py export` gives for the pack's area."""

from __future__ import annotations

import io

import pandas as pd

from boardpack import words
from boardpack.content import Pack
from metrics.exports import neutralise


def _cover(pack: Pack) -> pd.DataFrame:
    lines = [words.TITLE, *words.cover_lines(pack)]
    if pack.is_demo:
        lines.append(words.DEMO_LABEL)
    return pd.DataFrame({"Board pack": lines})


def _commentary(pack: Pack) -> pd.DataFrame:
    rows = [
        {
            "Measure": m.title,
            "Status": m.status,
            "Why": m.reason,
            "Commentary month": f"{m.commentary['month']:%Y-%m}" if m.commentary else "",
            "Version": m.commentary["version"] if m.commentary else None,
            "What happened": m.commentary["what"] if m.commentary else "",
            "Why it happened": m.commentary["why"] if m.commentary else "",
            "Actions": m.commentary["actions"] if m.commentary else "",
            "Owner and due": words.due_text(m.commentary) if m.commentary else "",
            "Awaiting commentary": "yes" if m.awaiting else "no",
        }
        for op in pack.operations
        for m in op.measures
    ]
    return pd.DataFrame(rows)


def sheets(pack: Pack) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in the pack's order."""
    found = {
        "Cover": _cover(pack),
        "Summary": pack.summary,
        "Summary figures": pack.summary_raw,
    }
    if pack.changes is not None:
        c = pack.changes
        found["Status moves"] = c.moves.drop(columns=["level", "better"])
        found["Special causes"] = c.special_causes
        found["Loads since"] = words.loads_table(c.loads)
        found["Republished since"] = words.revisions_table(c.revisions)
    found["Exceptions"] = pack.exceptions
    found["Commentary"] = _commentary(pack)
    found["District league"] = pack.league
    if pack.dip is not None:
        found["Dip sample"] = pack.dip.compliance
        if not pack.dip.districts.empty:
            found["Dip sample districts"] = pack.dip.districts
        if pack.dip.follow_up is not None:
            found["Dip follow-up"] = pack.dip.follow_up.log
    found["Monthly figures"] = pack.monthly.assign(month=pack.monthly["month"].astype(str))
    found["Definitions"] = pack.definitions
    if not pack.track_record.empty:
        found["Forecast track record"] = pack.track_record
    return found


def render(pack: Pack) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets(pack).items():
            neutralise(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
    return out.getvalue()
