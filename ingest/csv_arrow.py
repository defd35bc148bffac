"""Reading a CSV without quote marks with pyarrow's CSV reader: every value as text, `size`
rows at a time, with no Python step per row (about five times faster than the csv module
for an incident extract of a million rows, and no Python string per value).

The csv module (`ingest.read`) stays the reference. A file with a quote mark anywhere is
read by it, because pyarrow accepts quoting the strict csv module refuses (`"a"b` is read as
`ab`). Without quote marks both readers split a file into the same rows at the same line
breaks, and a row pyarrow cannot read as one of the header's width (a line of another width, a
lone carriage return inside a value) stops it with `Stopped`: the rows before that one have
been given, and the csv module reads the rest (`tests/test_ingest_batch.py` compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
from pyarrow import csv as arrow_csv

BLOCK_BYTES = 1 << 20  # parsed at a time (larger blocks: no faster, and pyarrow keeps several)


class Stopped(Exception):
    """pyarrow met a row it cannot read as a row of the header's width; every row before it
    has been given."""


def frames(
    path: Path,
    *,
    encoding: str,
    width: int,
    size: int,
    opened: Callable[[BinaryIO], None] = lambda _stream: None,
) -> Iterator[pd.DataFrame]:
    """The rows after the header, `size` at a time (the last batch may be shorter), as frames
    of text whose columns are the header's positions 0..width-1. Blank rows are given too,
    as rows of empty text. Raises `Stopped` after the rows before the first row of another
    width. `opened` is told the byte stream being read (for progress)."""
    names = [str(i) for i in range(width)]
    read = arrow_csv.ReadOptions(
        skip_rows=1,
        column_names=names,
        block_size=BLOCK_BYTES,
        use_threads=False,
        encoding="utf8" if encoding == "utf-8-sig" else encoding,  # pyarrow skips a BOM
    )
    parse = arrow_csv.ParseOptions(quote_char=False, ignore_empty_lines=False)
    convert = arrow_csv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
    )
    with path.open("rb") as stream:
        opened(stream)
        pending: list[pa.RecordBatch] = []
        count = 0
        try:
            reader = arrow_csv.open_csv(
                stream, read_options=read, parse_options=parse, convert_options=convert
            )
            for batch in reader:
                pending.append(batch)
                count += batch.num_rows
                while count >= size:
                    table = pa.Table.from_batches(pending)
                    yield _frame(table.slice(0, size))
                    rest = table.slice(size)
                    pending, count = rest.to_batches(), rest.num_rows
        except pa.ArrowInvalid:
            if count:
                yield _frame(pa.Table.from_batches(pending))
            raise Stopped from None
        if count:
            yield _frame(pa.Table.from_batches(pending))


def _frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas()
    frame.columns = range(table.num_columns)
    return frame
