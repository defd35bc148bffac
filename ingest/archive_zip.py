"""The files of a police.uk .zip archive, bounded as a whole (`ingest.limits`).

Before anything is unpacked, the archive's directory is read and the archive refused when it
lists more entries than UPLOAD_ARCHIVE_MEMBERS, when a file to load would unpack to more than
UPLOAD_ARCHIVE_MEMBER_MB or to more than UPLOAD_ARCHIVE_RATIO times its packed size, or the
files to load together to more than UPLOAD_ARCHIVE_UNPACKED_MB. Only the force's files are
ever unpacked, one at a time (`unpack`: unpacked, checked, then removed), so the temporary
folder holds one file of the archive at most. While a file is unpacked its bytes are counted
against the same limits, so a directory that understates a file (a forged header) is stopped
at the limit, not at the end of the disk; the zip module also stops at the declared size and
then refuses the file for its checksum. A full temporary disk is named as such
(`ingest.spool.temp_full_message`), not as a damaged archive. Pass 2 checks that a file is
still the one checked by hashing it again from the archive (`member_hash`), writing nothing.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.limits import RATIO_FLOOR_BYTES, UploadLimits, megabytes
from ingest.spool import is_disk_full, temp_full_message

CHUNK_BYTES = 1 << 20
NOTHING = "nothing was unpacked or loaded"
STOPPED = "what was unpacked of it is removed; nothing was loaded"


class ArchiveRefused(Exception):
    """A zip that cannot be read, or is past a limit (the message says why)."""


@dataclass(frozen=True)
class Member:
    """A file in a zip archive, as its directory declares it."""

    archive: Path
    filename: str
    shown: str  # archive name:file name
    size: int  # unpacked, as declared
    packed: int  # as declared


def check_directory(name: str, entries: int, picked: list[Member], limits: UploadLimits) -> None:
    """Refuse (ArchiveRefused) an archive past a limit by its directory alone."""
    if entries > limits.archive_members:
        raise ArchiveRefused(
            f"{name}: its directory lists {entries:,} files, more than "
            f"{limits.archive_members:,}, the most read from an archive "
            f"(UPLOAD_ARCHIVE_MEMBERS): {NOTHING}"
        )
    total = 0
    for member in picked:
        check_size(member, member.size, limits, declared=True)
        total += member.size
        check_total(name, total, limits, declared=True)


def check_size(member: Member, size: int, limits: UploadLimits, *, declared: bool) -> None:
    """A file's unpacked size (as declared, or as counted so far) against its limits."""
    said = "is declared to unpack" if declared else "unpacks"
    outcome = NOTHING if declared else STOPPED
    if size > limits.archive_member_bytes:
        raise ArchiveRefused(
            f"{member.shown}: {said} to more than {megabytes(limits.archive_member_bytes)}, the "
            f"most unpacked from one file of an archive (UPLOAD_ARCHIVE_MEMBER_MB): {outcome}"
        )
    if size > RATIO_FLOOR_BYTES and size > limits.archive_ratio * max(member.packed, 1):
        raise ArchiveRefused(
            f"{member.shown}: {said} to more than {limits.archive_ratio:,} times its packed size "
            f"({member.packed:,} bytes), the most allowed (UPLOAD_ARCHIVE_RATIO): a zip bomb? "
            f"{outcome}"
        )
    if not declared and size > member.size:
        raise ArchiveRefused(
            f"{member.shown}: unpacks to more than the {member.size:,} bytes the archive's "
            f"directory declares: a damaged or forged archive; {outcome}"
        )


def check_total(name: str, total: int, limits: UploadLimits, *, declared: bool) -> None:
    if total > limits.archive_unpacked_bytes:
        said = "are declared to unpack" if declared else "unpack"
        outcome = NOTHING if declared else STOPPED
        raise ArchiveRefused(
            f"{name}: the files to load in it {said} to more than "
            f"{megabytes(limits.archive_unpacked_bytes)} together, the most unpacked from an "
            f"archive (UPLOAD_ARCHIVE_UNPACKED_MB): {outcome}"
        )


def unpack(member: Member, target: Path, limits: UploadLimits, *, name: str, before: int) -> int:
    """Write `member` to `target`, counting its bytes against the limits (`before`: bytes
    unpacked from the archive already); returns its size. On any refusal the partial copy is
    removed."""
    size = 0
    try:
        with (
            zipfile.ZipFile(member.archive) as zipped,
            zipped.open(member.filename) as source,
            target.open("wb") as out,
        ):
            while chunk := source.read(CHUNK_BYTES):
                size += len(chunk)
                check_size(member, size, limits, declared=False)
                check_total(name, before + size, limits, declared=False)
                out.write(chunk)
    except BaseException as exc:
        target.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise ArchiveRefused(f"{member.shown}: {temp_full_message('unpacking it')}") from None
        if isinstance(exc, (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError)):
            raise ArchiveRefused(
                f"{member.shown}: not as the archive's directory describes it ({exc}): a "
                f"damaged or forged archive; {NOTHING}"
            ) from None
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            raise ArchiveRefused(f"{member.shown}: cannot be unpacked ({exc})") from None
        raise
    return size


def member_hash(member: Member, size: int) -> str:
    """The SHA-256 of `member` as the archive holds it now, read (never past `size` + 1 bytes)
    without writing anything; empty when it cannot be read (so it differs from any hash)."""
    digest, read = hashlib.sha256(), 0
    try:
        with zipfile.ZipFile(member.archive) as zipped, zipped.open(member.filename) as source:
            while read <= size and (chunk := source.read(CHUNK_BYTES)):
                read += len(chunk)
                digest.update(chunk)
    except (OSError, zipfile.BadZipFile, KeyError, NotImplementedError):
        return ""
    return digest.hexdigest() if read <= size else ""
