"""The limits on an upload as a whole, from the settings (`config.settings`, documented in the
README): the page and the command line both read them here, when a file is opened, so a
changed setting applies to the next load.

Archives: the entries a zip's directory lists, the bytes the files to load unpack to together
and one by one, and how many times a file unpacks past its packed size. Workbooks: the
characters of one cell or shared string, and the shared strings' count and text.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import get_settings

MB = 1 << 20
RATIO_FLOOR_BYTES = 1 << 20  # a file unpacking to less is never refused for its ratio


@dataclass(frozen=True)
class UploadLimits:
    """The limits of one load (each named by the setting that gives it)."""

    archive_members: int
    archive_unpacked_bytes: int
    archive_member_bytes: int
    archive_ratio: int
    xlsx_cell_chars: int
    xlsx_shared_strings: int
    xlsx_shared_chars: int


def upload_limits() -> UploadLimits:
    """The limits as the settings give them now."""
    settings = get_settings()
    return UploadLimits(
        archive_members=settings.UPLOAD_ARCHIVE_MEMBERS,
        archive_unpacked_bytes=settings.UPLOAD_ARCHIVE_UNPACKED_MB * MB,
        archive_member_bytes=settings.UPLOAD_ARCHIVE_MEMBER_MB * MB,
        archive_ratio=settings.UPLOAD_ARCHIVE_RATIO,
        xlsx_cell_chars=settings.UPLOAD_XLSX_CELL_CHARS,
        xlsx_shared_strings=settings.UPLOAD_XLSX_SHARED_STRINGS,
        xlsx_shared_chars=settings.UPLOAD_XLSX_SHARED_TEXT_MB * 1_000_000,
    )


def megabytes(size: int) -> str:
    """A size as people read it: '2,048 MB'."""
    return f"{size / MB:,.0f} MB"
