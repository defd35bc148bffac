"""Drawing helpers of the Data page: loading a file (check, preview, confirm), the blank
templates, and the load history with undo. Reads go through `views.reads`; writes through
`ingest` and `db.writes`."""

from __future__ import annotations

import hashlib
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import ingest
from config.text import clean_text
from config.vocabulary import FileKind
from db.writes import LoadResult
from ingest import spool
from ingest.examine import FILE
from ingest.load import POLICEUK_KINDS, load_plan, publication_text
from ingest.templates import COLUMNS, template_csv, template_xlsx
from present import completeness
from present import wording as w
from views import audit_trail, data_archive, reads, setup_view, ui
from views.auth import current_identity
from views.data_publication import publication_field
from views.upload_state import LOADED, ROUND, draw_refused, shown_name, with_names, write_copy
from views.user import current_user

KIND_CHOICES = {
    "Detect from the header": None,
    "police.uk file (street or outcomes)": FileKind.POLICEUK,
    "Incident extract": FileKind.INCIDENTS,
    "Monthly return": FileKind.RETURNS,
}
KIND_TITLES = {kind.name: kind.title for kind in ingest.KINDS}
TEMPLATES = {FileKind.INCIDENTS: "Incident extract", FileKind.RETURNS: "Monthly return"}
PENDING = "data:pending"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Pending:
    """An uploaded file saved to its own temporary folder, and its check (pass 1). The session
    holds it from the moment the copy is made, so the copy is removed however the load ends:
    by `discard` (loaded, another file chosen, the uploader emptied), by `release_copy` once
    the file is refused (its problems are kept to show; the copy is not needed), or when the
    session forgets the object (the browser closed and the session ended: `weakref.finalize`)."""

    key: str
    folder: Path
    plan: ingest.Plan | None = None
    trial: LoadResult | None = None  # the dry run: what loading would change
    _plans: list[ingest.Plan] = field(default_factory=list, init=False, repr=False)
    _cleanup: weakref.finalize = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._cleanup = weakref.finalize(self, _remove, self.folder, self._plans)

    def keep(self, plan: ingest.Plan) -> None:
        self.plan = plan
        self._plans.append(plan)

    def release_copy(self) -> None:
        """Remove the copy and the checked records; the plan's problems stay to be shown."""
        self._cleanup()

    def discard(self) -> None:
        self._cleanup()


def _remove(folder: Path, plans: list[ingest.Plan]) -> None:
    for plan in plans:
        plan.close()
    shutil.rmtree(folder, ignore_errors=True)


def discard_pending() -> None:
    pending = st.session_state.pop(PENDING, None)
    if pending is not None:
        pending.discard()


@st.cache_resource(show_spinner=False)
def sweep_stale_copies() -> int:
    """Once per server process: remove copies that sessions which ended without cleaning up
    left in the dashboard's temporary folder (`ingest.spool.sweep`)."""
    return len(spool.sweep())


def temp_full_plan(name: str) -> ingest.Plan:
    """A plan refused because the temporary disk filled up while its copy was saved."""
    message = spool.temp_full_message("saving the upload")
    return ingest.Plan(name, None, None, problems=[ingest.Problem(name, 0, FILE, message)])


def check_upload(uploaded: UploadedFile, kind: str | None) -> Pending:
    """The checked plan of `uploaded`, kept in the session while the same file (by its
    SHA-256) and kind are chosen; a new file or kind is saved and checked again."""
    data = uploaded.getvalue()
    name = clean_text(uploaded.name)
    key = f"{hashlib.sha256(data).hexdigest()}:{kind}:{name}"
    pending = st.session_state.get(PENDING)
    if pending is not None and pending.key == key and pending.plan is not None:
        return pending
    discard_pending()
    st.session_state.pop(LOADED, None)
    pending = Pending(key, spool.new_folder("asb-upload-"))
    st.session_state[PENDING] = pending  # from here the session owns the copy
    path = pending.folder / f"upload{Path(name).suffix.lower()}"
    try:
        saved = write_copy(path, data)
        pending.keep(_inspect(path, kind, name) if saved else temp_full_plan(name))
        if not pending.plan.ok:
            pending.release_copy()  # refused: nothing more is read from the copy
            return pending
        with st.spinner("Working out what loading it would change..."):
            pending.trial = load_plan(
                engine=reads.engine(reads.url()),
                catalogue=reads.catalogue(),
                plan=pending.plan,
                actor=current_user(),
                dry_run=True,
            )
    except BaseException:  # the run stopped (the user left) or failed: no copy is kept
        discard_pending()
        raise
    return pending


def _inspect(path: Path, kind: str | None, name: str) -> ingest.Plan:
    bar = st.progress(0.0, text="Checking every row...")
    try:
        return ingest.inspect(
            path,
            catalogue=reads.catalogue(),
            kind=kind,
            name=name,
            progress=lambda done: bar.progress(
                min(done, 1.0), text=f"Checking every row... {min(done, 1.0):.0%}"
            ),
        )
    finally:
        bar.empty()


def draw_plan(pending: Pending, info, url: str) -> None:
    """The summary of a file that passed every check, its preview and the confirm button."""
    plan = pending.plan
    st.success(
        f"{shown_name(plan.name)} passed every check: a {plan.kind.title}, "
        f"{w.counted(plan.rows, 'row')}, "
        f"{completeness.months_text(plan.months[0], plan.months[-1])}.",
        icon=":material/check_circle:",
    )
    if plan.kind.facts:
        st.markdown("\n".join(f"- {n:,} {fact}" for fact, n in plan.kind.facts.items()))
    trial = pending.trial
    if trial is not None and trial.already_loaded:
        st.info(with_names(trial.message(), plan.name), icon=":material/task_alt:")
        return
    preview = trial.preview if trial is not None else None
    if preview is None or preview.empty:
        st.caption("This file changes no monthly figure.")
    else:
        st.markdown("**What loading it will change**")
        for note in trial.revisions:
            st.markdown(f"- {note.message()[:1].upper()}{note.message()[1:]}.")
        titles = {m.code: m.short_title for m in reads.catalogue().measures.measure}
        ui.table(completeness.preview_table(preview, titles), "load preview")
        st.caption(
            "Per measure and month: figures the file gives, how many are new, how many replace "
            "a figure already shown (and how many of those differ), and any held back because "
            "a source with higher priority already gives that month."
        )
    if info.has_demo:
        st.warning(
            "Loading a real file removes the demonstration data: the dashboard then shows real "
            "loads only.",
            icon=":material/info:",
        )
    published, ready = publication_field(plan)
    if ready and not setup_view.ready_to_load(current_identity()):  # accounts first (issue 26)
        return
    if ready and st.button("Load this file", type="primary", icon=":material/upload:"):
        bar = st.progress(0.0, text="Loading...")
        try:
            result = load_plan(
                engine=reads.engine(url),
                catalogue=reads.catalogue(),
                plan=plan,
                actor=current_user(),
                progress=lambda done: bar.progress(min(done, 1.0), text="Loading..."),
                published=published,
            )
        except ingest.FileChanged as changed:  # the load was rolled back whole
            discard_pending()
            st.error(with_names(str(changed), plan.name), icon=":material/block:")
            return
        finally:
            bar.empty()
        shown = with_names(result.message(), result.file_name)
        if plan.kind.name in POLICEUK_KINDS and not result.already_loaded:
            when = published or max(plan.months)
            shown += " " + publication_text(when, given=published is not None)
        st.session_state[LOADED] = (result.already_loaded, shown)  # markdown, names as code
        discard_pending()
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1  # a fresh, empty uploader
        st.rerun()


def draw_upload(info, url: str) -> None:
    """The "Load a file" section: upload, check, preview, confirm."""
    sweep_stale_copies()
    st.write(
        "Upload a police.uk street or outcomes file, a police.uk archive (.zip as downloaded, "
        "one folder per month: your force's files are picked, others skipped), an incident "
        "extract or a monthly return (CSV or Excel). Every row is checked first; nothing is "
        "written until you confirm."
    )
    left, right = st.columns([2, 1])
    uploaded = left.file_uploader(
        "File to load",
        type=["csv", "xlsx", "zip"],
        key=f"data:upload:{st.session_state.get(ROUND, 0)}",
    )
    choice = right.selectbox(
        "Kind of file",
        list(KIND_CHOICES),
        key="data:kind",
        help="Leave on 'Detect from the header' unless the file is refused as unrecognised.",
    )
    loaded = st.session_state.get(LOADED)
    if loaded and uploaded is None:
        already, message = loaded
        (st.info if already else st.success)(message, icon=":material/task_alt:")
    if uploaded is None:
        discard_pending()
        data_archive.discard()
        return
    if uploaded.name.lower().endswith(".zip"):
        discard_pending()
        data_archive.draw(uploaded, info)
        return
    data_archive.discard()
    pending = check_upload(uploaded, KIND_CHOICES[choice])
    if pending.plan.ok:
        draw_plan(pending, info, url)
    else:
        draw_refused(pending.plan)


def draw_templates() -> None:
    """Blank templates of the two formats the force fills in itself, and their columns."""
    cat = reads.catalogue()
    for kind, title in TEMPLATES.items():
        st.markdown(f"**{title}**")
        csv_col, xlsx_col = st.columns(2)
        audit_trail.download_button(
            f"{title} template (CSV)",
            template_csv(kind),
            file_name=f"{kind}_template.csv",
            mime="text/csv",
            key=f"template_csv_{kind}",
            where=csv_col,
        )
        audit_trail.download_button(
            f"{title} template (Excel)",
            template_xlsx(kind, cat),
            file_name=f"{kind}_template.xlsx",
            mime=XLSX_MIME,
            key=f"template_xlsx_{kind}",
            where=xlsx_col,
        )
        st.dataframe(
            pd.DataFrame(
                {"Column": list(COLUMNS[kind]), "What to enter": list(COLUMNS[kind].values())}
            ),
            hide_index=True,
            width="stretch",
            height=ui.table_height(len(COLUMNS[kind])),
        )
