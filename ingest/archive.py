"""police.uk archives as downloaded: a `.zip` with one `YYYY-MM/` folder per month holding every
force's files (`YYYY-MM-<force>-street.csv`, `-outcomes.csv`, `-stop-and-search.csv`), or a
folder of such months, or a folder of any files to load.

The configured force's street and outcomes files are picked (`policeuk_slug` in
config/geography.toml) and grouped by month, street before outcomes, months in order: each
month then loads in its own transaction. Other forces' files are skipped and counted per
month; stop-and-search files are skipped (no measure reads them). From a zip, only the picked
members are extracted, to a temporary folder (`ingest.spool.new_folder`) removed by
`Archive.close`.

A police.uk archive is published with its newest month: every month of a zip or folder is
taken as published then (`MonthFiles.published`), the month its outcomes are as known at.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from config import Catalogue
from ingest.archive_zip import ArchiveRefused, Member, check_directory, member_hash, unpack
from ingest.limits import UploadLimits, upload_limits
from ingest.spool import new_folder

if TYPE_CHECKING:
    from ingest import Plan

__all__ = ["Archive", "ArchiveRefused", "Member", "MonthFiles", "is_archive", "open_archive"]

MONTHLY_FILE = re.compile(
    r"(?:^|/)(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
LOADABLE = (".csv", ".xlsx")
KIND_ORDER = {"street": 0, "outcomes": 1}


@dataclass(frozen=True)
class MonthFiles:
    """One month of the force's police.uk files: (name shown, path on disk or file in the
    zip), street first."""

    month: str
    files: tuple[tuple[str, Path | Member], ...]
    other_forces: int  # other forces' files in the month's folder, skipped
    published: str = ""  # YYYY-MM: the newest month of the archive or folder it came from


@dataclass
class Archive:
    """What a zip or folder holds for loading."""

    name: str
    months: list[MonthFiles] = field(default_factory=list)
    plain: list[tuple[str, Path]] = field(default_factory=list)  # other CSV/xlsx files
    archives: list[Path] = field(default_factory=list)  # zips inside a folder
    skipped: list[str] = field(default_factory=list)  # files of no kind that loads
    limits: UploadLimits | None = None
    unpacked_bytes: int = 0  # unpacked from the zip so far, held to the limits
    _temporary: Path | None = None

    def close(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    @contextmanager
    def unpacked(self, where: Path | Member) -> Iterator[Path]:
        """The file on disk while the block runs: a folder's file as it is; a zip's file
        unpacked to the temporary folder (ArchiveRefused past a limit) and removed after."""
        if isinstance(where, Path):
            yield where
            return
        if self._temporary is None:
            self._temporary = new_folder("policeuk-archive-")
        target = self._temporary / f"member-{Path(where.filename).name}"
        self.unpacked_bytes += unpack(
            where, target, self.limits or upload_limits(), name=self.name,
            before=self.unpacked_bytes,
        )  # fmt: skip
        try:
            yield target
        finally:
            target.unlink(missing_ok=True)

    def check(self, where: Path | Member, inspect: Callable[[Path], Plan]) -> Plan:
        """`inspect` (pass 1) of one file, unpacked only while it runs; a zip's file is
        checked again in pass 2 by its hash, read from the zip (`Plan.source_hash`)."""
        with self.unpacked(where) as path:
            plan = inspect(path)
        if isinstance(where, Member) and plan.table is not None:
            plan.source_hash = partial(member_hash, where, plan.table.facts.size)
        return plan

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def has_force_files(self) -> bool:
        return any(m.files for m in self.months)


def is_archive(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() == ".zip"


def open_archive(
    path: Path,
    *,
    catalogue: Catalogue,
    name: str | None = None,
    limits: UploadLimits | None = None,
) -> Archive:
    """The loadable contents of a zip or folder at `path` (shown to people as `name`); a zip
    is held to `limits` (default: the settings') by its directory before anything is
    unpacked."""
    name = name or str(path)
    slug = catalogue.geography.policeuk_slug
    if path.is_dir():
        return _folder(path, name, slug)
    try:
        return _zip(path, name, slug, limits or upload_limits())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
        raise ArchiveRefused(f"{name}: not a readable .zip archive ({exc})") from None


def _group(
    found: list[tuple[str, str, str, str, Path | None]], slug: str
) -> tuple[list[tuple[str, str, str, str, Path | None]], dict[str, int]]:
    """The force's street and outcomes files, and other forces' files counted per month."""
    picked, others = [], defaultdict[str, int](int)
    for month, force, kind, shown, where in found:
        if force != slug:
            others[month] += 1
        elif kind in KIND_ORDER:
            picked.append((month, force, kind, shown, where))
    return picked, others


def _months(
    picked: list[tuple[str, str, str, str, Path]], others: dict[str, int]
) -> list[MonthFiles]:
    by_month: dict[str, list[tuple[str, str, str, str, Path]]] = defaultdict(list)
    for entry in picked:
        by_month[entry[0]].append(entry)
    months = []
    every = sorted(set(by_month) | set(others))
    for month in every:
        entries = sorted(by_month.get(month, []), key=lambda e: (KIND_ORDER[e[2]], e[3]))
        files = tuple((shown, where) for _, _, _, shown, where in entries)
        months.append(MonthFiles(month, files, others.get(month, 0), published=every[-1]))
    return months


def _folder(path: Path, name: str, slug: str) -> Archive:
    archive = Archive(name)
    found = []
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = item.relative_to(path).as_posix()
        shown = f"{name}/{relative}"
        match = MONTHLY_FILE.search(relative.lower())
        if match:
            if match["kind"] == "stop-and-search" and match["force"] == slug:
                archive.skipped.append(shown)
            found.append((match["month"], match["force"], match["kind"], shown, item))
        elif item.suffix.lower() == ".zip":
            archive.archives.append(item)
        elif item.suffix.lower() in LOADABLE:
            archive.plain.append((shown, item))
        else:
            archive.skipped.append(shown)
    picked, others = _group(found, slug)
    archive.months = _months(picked, others)
    return archive


def _zip(path: Path, name: str, slug: str, limits: UploadLimits) -> Archive:
    """The zip's files by its directory, held to `limits`; nothing is unpacked."""
    archive = Archive(name, limits=limits)
    with zipfile.ZipFile(path) as zipped:
        infos = zipped.infolist()
    found = []
    for info in infos:
        if info.is_dir():
            continue
        shown = f"{name}:{info.filename}"
        match = MONTHLY_FILE.search(info.filename.lower())
        if not match:
            archive.skipped.append(shown)
            continue
        if match["kind"] == "stop-and-search" and match["force"] == slug:
            archive.skipped.append(shown)
        member = Member(path, info.filename, shown, info.file_size, info.compress_size)
        found.append((match["month"], match["force"], match["kind"], shown, member))
    picked, others = _group(found, slug)
    check_directory(name, len(infos), [entry[4] for entry in picked], limits)
    archive.months = _months(picked, others)
    return archive
