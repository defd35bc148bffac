"""Drawing helpers of the Data page: a police.uk archive (.zip as downloaded) checked month by
month, then loaded month by month, each month in one transaction, with one progress bar."""

from __future__ import annotations

import hashlib
import shutil
import weakref
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import ingest
from config import parse_month
from config.text import clean_text
from config.vocabulary import FileKind
from db.writes import RecordsMismatch
from ingest import spool
from ingest.archive import Archive, ArchiveRefused, MonthFiles, open_archive
from ingest.load import load_month
from present import data_wording as dw
from present import wording as w
from views import reads, setup_view, ui
from views.auth import current_identity
from views.upload_state import LOADED, ROUND, draw_refused, shown_name, with_names, write_copy
from views.user import current_user

PENDING = "data:archive"


@dataclass
class CheckedMonth:
    files: MonthFiles
    plans: list[ingest.Plan]

    @property
    def ok(self) -> bool:
        return bool(self.plans) and all(p.ok for p in self.plans)


@dataclass
class ArchivePending:
    """An uploaded archive saved to a temporary folder, opened, and every picked file checked."""

    key: str
    folder: Path
    archive: Archive
    months: list[CheckedMonth]
    _cleanup: weakref.finalize = field(init=False, repr=False)

    def __post_init__(self) -> None:
        plans = [plan for month in self.months for plan in month.plans]
        self._cleanup = weakref.finalize(self, _remove, self.archive, self.folder, plans)

    def discard(self) -> None:
        self._cleanup()


def _remove(archive: Archive, folder: Path, plans: list[ingest.Plan]) -> None:
    for plan in plans:
        plan.close()
    archive.close()
    shutil.rmtree(folder, ignore_errors=True)


def discard() -> None:
    pending = st.session_state.pop(PENDING, None)
    if pending is not None:
        pending.discard()


def check(uploaded: UploadedFile) -> ArchivePending | None:
    """The checked months of the uploaded archive, kept while the same archive is chosen. The
    archive's files are unpacked one at a time while checked, each removed once checked
    (`ingest.archive.Archive.check`); the uploaded copy stays, for pass 2 to check the files
    again by their hash, until every month is refused (their problems are kept to show) or
    as `views.data_load.Pending`'s are. An archive past a limit, or a full temporary disk, is
    refused with nothing written."""
    data = uploaded.getvalue()
    name = clean_text(uploaded.name)
    key = f"{hashlib.sha256(data).hexdigest()}:{name}"
    pending = st.session_state.get(PENDING)
    if pending is not None and pending.key == key:
        return pending
    discard()
    folder = spool.new_folder("asb-upload-")
    path = folder / "upload.zip"
    archive = None
    try:
        if not write_copy(path, data):
            raise ArchiveRefused(f"{name}: {spool.temp_full_message('saving the upload')}")
        archive = open_archive(path, catalogue=reads.catalogue(), name=name)
        months = _checked_months(archive)
    except ArchiveRefused as refused:
        if archive is not None:
            archive.close()
        shutil.rmtree(folder, ignore_errors=True)
        message = with_names(str(refused), name)
        st.error(f"{message}. Nothing was written.", icon=":material/block:")
        return None
    except BaseException:
        if archive is not None:
            archive.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    pending = ArchivePending(key, folder, archive, months)
    st.session_state[PENDING] = pending
    if not any(month.ok for month in months):
        pending.discard()  # nothing will be loaded: the copies go, the problems stay shown
    return pending


def _checked_months(archive: Archive) -> list[CheckedMonth]:
    """Every picked file checked (pass 1), with one progress bar."""
    files = [(m, name, where) for m in archive.months for name, where in m.files]
    bar = st.progress(0.0, text="Checking every row of every month...")
    plans: dict[str, list[ingest.Plan]] = {m.month: [] for m in archive.months}
    try:
        for done, (month, name, where) in enumerate(files):
            check = partial(
                ingest.inspect, catalogue=reads.catalogue(), kind=FileKind.POLICEUK, name=name
            )
            try:
                plans[month.month].append(archive.check(where, check))
            except BaseException:
                for plan in (p for kept in plans.values() for p in kept):
                    plan.close()
                raise
            bar.progress((done + 1) / max(len(files), 1), text=f"Checked {shown_name(name)}")
    finally:
        bar.empty()
    return [CheckedMonth(m, plans[m.month]) for m in archive.months]


def summary(pending: ArchivePending) -> pd.DataFrame:
    """One row per month of the archive: its files, rows, skipped files and whether it loads."""
    rows = []
    for month in pending.months:
        refused = sum(p.problem_count for p in month.plans)
        result = dw.archive_month_result(bool(month.plans), refused)
        rows.append(
            {
                "Month": f"{parse_month(month.files.month):%b %Y}",
                "Files": ", ".join(clean_text(Path(name).name) for name, _ in month.files.files)
                or "–",
                "Rows": sum(p.rows for p in month.plans),
                "Other forces' files skipped": month.files.other_forces,
                "Result": result,
            }
        )
    return pd.DataFrame(rows)


def draw(uploaded: UploadedFile, info) -> None:
    """The checked archive, its problems, and the button that loads its ready months."""
    pending = check(uploaded)
    if pending is None:
        return
    if not pending.archive.has_force_files:
        st.error(
            dw.archive_without_force(
                shown_name(uploaded.name), reads.catalogue().geography.police_force
            ),
            icon=":material/block:",
        )
        return
    ready = [m for m in pending.months if m.ok]
    st.markdown(dw.archive_heading(shown_name(uploaded.name), len(pending.months)))
    ui.table(summary(pending), "archive months")
    for month in pending.months:
        for plan in month.plans:
            if not plan.ok:
                draw_refused(plan)
    if not ready:
        return
    if info.has_demo:
        st.warning(
            "Loading real files removes the demonstration data: the dashboard then shows real "
            "loads only.",
            icon=":material/info:",
        )
    if not setup_view.ready_to_load(current_identity()):  # accounts first (issue 26)
        return
    label = f"Load {w.counted(len(ready), 'ready month')}"
    if st.button(label, type="primary", icon=":material/upload:"):
        load(ready)


def load(ready: list[CheckedMonth]) -> None:
    """Load the ready months in order, each in one transaction; a month that fails is rolled
    back and said, the months before it stay loaded."""
    bar = st.progress(0.0, text="Loading...")
    messages, failed = [], None
    for done, month in enumerate(ready):
        try:
            results = load_month(
                engine=reads.engine(reads.url()),
                catalogue=reads.catalogue(),
                month=month.files,
                plans=month.plans,
                actor=current_user(),
            )
        except (ingest.FileChanged, RecordsMismatch) as exc:
            why = with_names(str(exc), *(plan.name for plan in month.plans))
            failed = dw.archive_month_failed(month.files.month, done, len(ready), why)
            break
        messages += [with_names(r.message(), r.file_name) for r in results]
        if not all(r.already_loaded for r in results):
            messages.append(dw.archive_published(month.files.month, month.files.published))
        bar.progress((done + 1) / len(ready), text=f"Loaded {month.files.month}")
    bar.empty()
    unchanged = all("already loaded" in m for m in messages)
    if failed:
        messages.append(failed)
    st.session_state[LOADED] = (unchanged and not failed, "\n\n".join(messages))
    discard()
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()
