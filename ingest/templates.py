"""Blank templates for the two formats the force fills in itself (incident extracts and
monthly returns), as CSV and as Excel workbooks with a guide sheet, and the description of
every column (shown on the Data page; the README documents the same columns, checked by a test).
"""

from __future__ import annotations

import io

from config import Catalogue
from config.vocabulary import FileKind
from ingest.base import Kind
from ingest.extracts import Incidents
from ingest.returns import Returns

COLUMNS: dict[str, dict[str, str]] = {
    FileKind.INCIDENTS: {
        "reference": "Pseudonymous incident reference: letters, digits, / _ . - only, up to 64 "
        "characters. Never a name or an address.",
        "occurred_at": "When the incident happened: YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM "
        "(or an Excel date and time). Not in the future, not before 2015.",
        "district": "District name or ONS code (one of the 14).",
        "category": "ASB category: personal, nuisance or environmental.",
        "vehicle_involved": "Y or N: a motorcycle, off-road bike, e-bike or e-scooter involved.",
        "repeat_victim": "Y or N: the caller is flagged as a repeat victim.",
        "vulnerable_victim": "Y or N: the victim is flagged as vulnerable.",
        "channel": "How it was reported (e.g. 101, 999, Online report), up to 40 characters.",
        "lsoa_code": "Optional: LSOA code (E01234567).",
    },
    FileKind.RETURNS: {
        "measure": "Measure code (see the Definitions page); only measures loaded from "
        "monthly returns.",
        "month": "YYYY-MM (or an Excel date): not in the future, not before 2015.",
        "area": "District name or ONS code, or 'unallocated' for a figure that belongs to "
        "no district (counted in the force total only).",
        "breakdown": "Optional: a breakdown category of the measure (e.g. Arrest); empty for "
        "the total. Breakdown rows must add up to the total; a missing total is their sum.",
        "value": "The figure, for count and hours measures: a number, not negative (counts "
        "whole). For percentage measures it may be left empty.",
        "numerator": "Percentage measures only: respondents agreeing, or cases on time.",
        "denominator": "Percentage measures only: all respondents, or all cases. Numerator "
        "must not exceed it.",
        "note": "Optional comment, up to 500 characters (e.g. 'late return from Burnley').",
    },
}
KINDS: dict[str, type[Kind]] = {FileKind.INCIDENTS: Incidents, FileKind.RETURNS: Returns}


def template_csv(kind: str) -> bytes:
    """The header row of `kind` as CSV (UTF-8 with byte-order mark, which Excel respects)."""
    return (",".join(KINDS[kind].columns()) + "\r\n").encode("utf-8-sig")


def template_xlsx(kind: str, catalogue: Catalogue) -> bytes:
    """An Excel workbook: a `data` sheet with the header, a `guide` sheet describing each
    column, and the allowed measure codes and districts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "data"
    data.append(list(KINDS[kind].columns()))
    for cell in data[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet("guide")
    guide.append(["column", "required", "what to enter"])
    for column, meaning in COLUMNS[kind].items():
        required = "yes" if column in KINDS[kind].required else "optional"
        guide.append([column, required, meaning])
    guide.append([])
    if kind == FileKind.RETURNS:
        guide.append(["measure code", "unit", "measure"])
        for measure in catalogue.measures.measure:
            if FileKind.RETURNS in measure.sources:
                guide.append([measure.code, measure.unit, measure.title])
        guide.append([])
    guide.append(["district", "ONS code", "division"])
    for district in catalogue.geography.district:
        guide.append([district.name, district.ons_code, district.division])
    for sheet in (data, guide):
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
