"""Incident extracts are checked a column at a time for rows in the usual shape, and row by row
for the rest (`ingest.incident_batch`). Both ways must accept the same rows with the same
values and word the same problems: every cell below is checked both ways and compared."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import ingest.duplicates
import ingest.extracts
from config import get_catalogue
from db.derive import incident_counts
from db.engine import session_scope
from db.store import init_store
from ingest import inspect
from ingest.duplicates import DuplicateFinder
from ingest.incident_batch import RECORD_COLUMNS
from ingest.load import load_plan

TODAY = date(2026, 10, 15)
HEADER = [
    "reference",
    "occurred_at",
    "district",
    "lsoa_code",
    "category",
    "vehicle_involved",
    "repeat_victim",
    "vulnerable_victim",
    "channel",
]
CLEAN = ["INC/0", "2024-01-05 10:30", "Preston", "", "nuisance", "Y", "N", "N", "101"]

# (column, cell): each put into an otherwise clean row
ACCEPTED = [
    ("reference", " INC/x "),
    ("reference", "a.b_c-d/9"),
    ("occurred_at", "2024-01-05T10:30"),
    ("occurred_at", "2024-01-05 10:30:45"),
    ("occurred_at", "05/01/2024 10:30"),
    ("occurred_at", "05/01/2024 23:59:59"),
    ("occurred_at", " 2024-01-05 10:30 "),
    ("occurred_at", "2024-01-05 10:30:45.5"),
    ("occurred_at", "2015-01-01 00:00"),
    ("occurred_at", "2024-01-05"),  # a date alone: midnight
    ("occurred_at", "2026-10-31 23:59"),
    ("district", "preston"),
    ("district", " PRESTON "),
    ("district", "E07000123"),
    ("district", "e07000123"),
    ("lsoa_code", "E01012345"),
    ("lsoa_code", " W01000001 "),
    ("category", "Personal"),
    ("category", " environmental "),
    ("vehicle_involved", "yes"),
    ("vehicle_involved", "TRUE"),
    ("repeat_victim", "1"),
    ("repeat_victim", "off"),
    ("vulnerable_victim", "t"),
    ("channel", " online "),
    ("channel", "x" * 40),
    ("channel", "=HYPERLINK(1)"),
]
REFUSED = [
    ("reference", ""),
    ("reference", "a b"),
    ("reference", "x" * 65),
    ("reference", "=cmd"),
    ("reference", "ÄBC"),
    ("occurred_at", "2024-02-30 10:00"),
    ("occurred_at", "2014-12-31 23:59"),
    ("occurred_at", "2026-11-01 00:00"),
    ("occurred_at", "2024-1-05 10:30"),
    ("occurred_at", "yesterday"),
    ("district", "Atlantis"),
    ("district", ""),
    ("lsoa_code", "E0101234"),
    ("lsoa_code", "X01012345"),
    ("category", "noise"),
    ("vehicle_involved", " Y"),
    ("vehicle_involved", "maybe"),
    ("repeat_victim", ""),
    ("channel", ""),
    ("channel", "x" * 41),
]


def rows_for(cases: list[tuple[str, str]], start: int) -> list[list[str]]:
    rows = []
    for i, (column, cell) in enumerate(cases, start=start):
        row = list(CLEAN)
        row[0] = f"INC/{i}"
        row[HEADER.index(column)] = cell
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every row to the per-row check."""

    def nothing_clean(frame, _rules):
        return np.zeros(len(frame), dtype=bool), pd.DataFrame(columns=list(RECORD_COLUMNS))

    monkeypatch.setattr(ingest.extracts, "clean_rows", nothing_clean)


def checked(path: Path):
    plan = inspect(path, catalogue=get_catalogue(), today=TODAY)
    stored = pd.concat(list(plan.spool.batches()), ignore_index=True) if plan.ok else None
    counts = plan.kind.counts() if plan.ok else None
    messages = plan.messages()
    plan.close()
    return messages, stored, counts


def test_every_accepted_cell_gives_the_same_record_both_ways(tmp_path, monkeypatch):
    rows = [CLEAN, *rows_for(ACCEPTED, 1)]
    path = write_csv(tmp_path / "accepted.csv", rows)
    messages, fast, fast_counts = checked(path)
    assert messages == []
    assert len(fast) == len(rows)
    one_by_one(monkeypatch)
    _, slow, slow_counts = checked(path)
    pd.testing.assert_frame_equal(fast, slow)
    for name in ("cells", "months", "flags"):
        pd.testing.assert_frame_equal(getattr(fast_counts, name), getattr(slow_counts, name))


@pytest.mark.parametrize(("column", "cell"), REFUSED, ids=[f"{c}={v!r}" for c, v in REFUSED])
def test_every_refused_cell_gives_the_same_problem_both_ways(tmp_path, monkeypatch, column, cell):
    path = write_csv(tmp_path / "refused.csv", [CLEAN, *rows_for([(column, cell)], 1)])
    fast, _, _ = checked(path)
    assert len(fast) == 1 and fast[0].startswith(f"refused.csv:3:{column}: "), fast
    one_by_one(monkeypatch)
    assert checked(path)[0] == fast


def test_a_mixed_file_gives_the_same_problems_both_ways(tmp_path, monkeypatch):
    rows = [*rows_for(REFUSED, 1), *rows_for(ACCEPTED, 100), list(CLEAN), list(CLEAN)]
    rows[5][0] = "INC/102"  # a refused row (a bad date) whose reference a later row repeats
    path = write_csv(tmp_path / "mixed.csv", rows)
    fast, _, _ = checked(path)
    assert f"mixed.csv:{len(REFUSED) + 4}:reference: duplicate of row 7" in fast
    assert f"mixed.csv:{len(rows) + 1}:reference: duplicate of row {len(rows)}" in fast
    one_by_one(monkeypatch)
    assert checked(path)[0] == fast


def test_spreadsheet_cells_that_are_not_text_are_checked_row_by_row(tmp_path, monkeypatch):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(CLEAN)
    sheet.append(
        [12345, datetime(2024, 3, 1, 8, 15), "Burnley", None, "personal", True, 0, "N", 999]
    )
    sheet.append(
        ["INC/9", datetime(2024, 3, 1, 8, 15), "Burnley", None, "personal", 2, "N", "N", "x"]
    )
    workbook.save(tmp_path / "cells.xlsx")
    fast, _, _ = checked(tmp_path / "cells.xlsx")
    assert fast == [
        "cells.xlsx:4:vehicle_involved: '2': must be Y or N",
    ]
    one_by_one(monkeypatch)
    assert checked(tmp_path / "cells.xlsx")[0] == fast


def test_repeated_references_are_found_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_ROWS", 3)
    rows = rows_for([("channel", "101")] * 8, 1)
    rows[6][0] = rows[1][0]
    rows[7][0] = rows[1][0]
    messages, _, _ = checked(write_csv(tmp_path / "repeats.csv", rows))
    assert messages == [
        "repeats.csv:8:reference: duplicate of row 3",
        "repeats.csv:9:reference: duplicate of row 3",
    ]


def test_values_that_share_a_hash_are_not_called_duplicates(monkeypatch):
    monkeypatch.setattr(
        ingest.duplicates.pd.util, "hash_array", lambda v, **_: np.zeros(len(v), np.uint64)
    )
    finder = DuplicateFinder()
    texts = {2: "A", 3: "B", 4: "A", 5: "C", 6: "B"}
    finder.add(np.array([2, 3, 4]), pd.Series(["A", "B", "A"]))
    finder.add(np.array([5, 6]), pd.Series(["C", "B"]))
    asked = []

    def confirm(rows):
        asked.append(rows)
        return {row: texts[row] for row in rows}

    assert finder.repeats(confirm) == [(4, 2), (6, 3)]
    assert asked == [set(texts)]
    finder.close()


def test_a_file_without_repeats_is_not_read_again():
    finder = DuplicateFinder()
    finder.add(np.arange(2, 1002), pd.Series([f"INC/{i}" for i in range(1000)]))
    assert finder.repeats(lambda rows: pytest.fail(f"read again for {rows}")) == []
    finder.close()


def test_the_counts_made_while_checking_equal_those_of_the_stored_rows(store, tmp_path):
    catalogue = get_catalogue()
    init_store(engine=store.engine, catalogue=catalogue, actor="tests")
    rows = [list(CLEAN), *rows_for(ACCEPTED, 1)]
    plan = inspect(write_csv(tmp_path / "counts.csv", rows), catalogue=catalogue, today=TODAY)
    counts = plan.kind.counts()
    result = load_plan(engine=store.engine, catalogue=catalogue, plan=plan, actor="tests")
    with session_scope(store.engine) as session:
        stored = incident_counts(session=session, load_id=result.load_id)
    keys = ["month", "district_code", "category", "vehicle_involved", "repeat_victim",
            "vulnerable_victim"]  # fmt: skip
    mine = counts.flags.sort_values(keys).reset_index(drop=True)
    theirs = stored.astype({k: bool for k in keys[3:]}).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
    assert result.records == counts.rows == len(rows)
