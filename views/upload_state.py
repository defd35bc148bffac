"""Upload state shared by the Data page's two loaders (`views.data_load`: one file;
`views.data_archive`: a police.uk archive), so neither imports the other:

- the session keys both set: `ROUND` (bumped after a load, so the uploader comes back empty),
  `LOADED` (the message of the last load, shown until another file is chosen) and `UNDONE`
  (the message of the last undo, `views.data_history`);
- a file name in a message, cleaned and as a code span (`shown_name`, `with_names`);
- saving an upload's temporary copy, told apart from a full temporary disk (`write_copy`);
- the report of a refused file: every problem naming file, row and column (`draw_refused`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

import ingest
from config.text import clean_text
from ingest import spool
from present import wording as w
from views import ui

ROUND, LOADED, UNDONE = "data:round", "data:loaded", "data:undone"
NAME_SHOWN = 120  # characters of a file name shown in a message (the rest cut, marked …)


def shown_name(name: str) -> str:
    """A file name for a message: cleaned, and as a code span, so no markdown, link, image or
    HTML in a name someone gave takes effect (`views.ui.code_span`)."""
    return ui.code_span(clean_text(name), limit=NAME_SHOWN)


def with_names(message: str, *names: str) -> str:
    """A message of the loader with every given file name in it shown by `shown_name`."""
    spans = {name: shown_name(name) for name in names if name}
    if not spans:
        return message
    pattern = "|".join(re.escape(n) for n in sorted(spans, key=len, reverse=True))
    return re.sub(pattern, lambda found: spans[found.group(0)], message)


def write_copy(path: Path, data: bytes) -> bool:
    """Save an uploaded file's copy: False, and nothing kept, when the temporary disk is full
    (said as such by `ingest.spool.temp_full_message`, not as a problem of the file)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        if not spool.is_disk_full(exc):
            raise
        path.unlink(missing_ok=True)
        return False
    return True


def problems_frame(plan: ingest.Plan) -> pd.DataFrame:
    """The problems of a refused file, one row each, in row order."""
    return pd.DataFrame(
        [
            {"File": p.file, "Row": p.row, "Column": p.column, "Problem": p.message}
            for p in sorted(plan.problems, key=lambda p: p.row)
        ],
        columns=["File", "Row", "Column", "Problem"],
    )


def draw_refused(plan: ingest.Plan) -> None:
    count = plan.problem_count
    st.error(
        f"**{shown_name(plan.name)} cannot be loaded**: {w.counted(count, 'problem')} found. "
        "Nothing was written. Correct the file and upload it again.",
        icon=":material/block:",
    )
    ui.table(problems_frame(plan), "problems")
    if plan.unlisted:
        st.caption(
            f"The first {len(plan.problems):,} problems are listed; {plan.unlisted:,} more are not."
        )
