"""Benchmark: the two hostile uploads of issue 26 against normal files of about their size.

    python bench/uploads.py [--cell-mb 250] [--member-mb 210]

Cases, each run in a subprocess of its own so that its peak memory (`ru_maxrss`) is its own;
time is the wall time of the check, from the file on disk to its plan or refusal:

- workbook, huge cell: a monthly return .xlsx of about 250 KB whose one note cell holds
  --cell-mb MB of text, as a shared string (as Excel writes it) and inline (as openpyxl
  writes it), checked by `ingest.inspect` (pass 1: the whole check before a load); against a
  normal return workbook of about the same packed size (rows of returns);
- archive, zip bomb: a police.uk .zip of three street files (2024-01 to 2024-03) of
  --member-mb MB each (about 2 MB packed, about 630 MB unpacked), opened and every file
  checked as the Data page does before a load (`open_archive`, `Archive.check`); against a
  zip of the real 2024-01 to 2024-03 Lancashire street files (about the same packed size).

Printed on stdout: a markdown table of seconds, peak memory, the bytes written to the
temporary folder for the archive (as `Archive.unpacked_bytes` counts them), each hostile
case's time and memory as a ratio of its normal file's, and the first words of the result.
Peak memory includes the interpreter and the dashboard's modules (about 140 MB); the
growth is what the check itself added. The figures before the change (the loader of commit
bd2e954) are in the README notes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1 << 20
DISTRICTS = ("Blackburn with Darwen", "Blackpool", "Burnley", "Chorley", "Fylde", "Hyndburn",
             "Lancaster", "Pendle", "Preston", "Ribble Valley", "Rossendale", "South Ribble",
             "West Lancashire", "Wyre")  # fmt: skip
MONTHS = ("2024-01", "2024-02", "2024-03")
NOTE = "a note of the kind a return carries, about the month's figure and where it came from"


def note(n: int) -> str:
    """A note of about 300 characters, different on every row (so it packs as a real one)."""
    return " ".join([NOTE, *(hashlib.sha256(f"{n}:{k}".encode()).hexdigest() for k in range(4))])


def make(case: str, folder: Path, cell_mb: int, member_mb: int) -> Path:
    """The file of a case, made in `folder`."""
    from bench import hostile

    if case == "cell shared":
        return hostile.workbook(folder / "cell.xlsx", [hostile.ROW], huge=cell_mb * MB, shared=True)
    if case == "cell inline":
        return hostile.workbook(folder / "inline.xlsx", [hostile.ROW], huge=cell_mb * MB)
    if case == "normal workbook":  # every district's civil orders, 2015 to 2025, noted
        rows = [
            ["civil_orders", f"{year}-{month:02d}", district, "", str(n), "", "", note(n)]
            for n, (year, month, district) in enumerate(
                (y, m, d) for y in range(2015, 2026) for m in range(1, 13) for d in DISTRICTS
            )
        ]
        return hostile.workbook(folder / "normal.xlsx", rows, shared=True)
    if case == "zip bomb":
        members = {
            f"{m}/{m}-lancashire-street.csv": hostile.bomb_member(member_mb * MB) for m in MONTHS
        }
        return hostile.archive(folder / "bomb.zip", members)
    path = folder / "normal.zip"
    shared = ROOT.parent / "shared" / "data" / "policeuk"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for month in MONTHS:
            name = f"{month}-lancashire-street.csv"
            zipped.write(shared / name, f"{month}/{name}")
    return path


def check(path: Path, catalogue) -> tuple[str, int]:
    """The check a load makes before writing anything: the result's first words, and the
    bytes written to the temporary folder from an archive."""
    import ingest
    from ingest.archive import ArchiveRefused, open_archive

    if path.suffix == ".xlsx":
        plan = ingest.inspect(path, catalogue=catalogue)
        plan.close()
        return ("refused: " + plan.messages()[0] if plan.problems else "passed"), 0
    refused = 0
    try:
        with open_archive(path, catalogue=catalogue, name=path.name) as archive:
            for month in archive.months:
                for name, where in month.files:
                    inspect = lambda p, n=name: ingest.inspect(  # noqa: E731
                        p, catalogue=catalogue, kind="policeuk", name=n
                    )
                    plan = archive.check(where, inspect)
                    refused += not plan.ok
                    plan.close()
            return (f"refused: {refused} files" if refused else "passed"), archive.unpacked_bytes
    except ArchiveRefused as refused:
        return f"refused: {refused}", 0


def child(case: str, cell_mb: int, member_mb: int) -> None:
    import openpyxl  # noqa: F401 - imported before the clock starts

    import ingest  # noqa: F401
    from config import get_catalogue

    catalogue = get_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        path = make(case, Path(folder), cell_mb, member_mb)
        size = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        result, unpacked = check(path, catalogue)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"case": case, "size": size, "seconds": seconds, "peak_mb": peak / 1024,
             "grown_mb": (peak - before) / 1024, "unpacked": unpacked, "result": result}
        )
    )  # fmt: skip


PAIRS = (("cell shared", "normal workbook"), ("cell inline", "normal workbook"),
         ("zip bomb", "normal zip"))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cell-mb", type=int, default=250)
    parser.add_argument("--member-mb", type=int, default=210)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cell_mb, args.member_mb)
        return
    runs = {}
    for case in dict.fromkeys(c for pair in PAIRS for c in pair):
        out = subprocess.run(
            [sys.executable, __file__, "--child", case, "--cell-mb", str(args.cell_mb),
             "--member-mb", str(args.member_mb)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout  # fmt: skip
        runs[case] = json.loads(out.strip().splitlines()[-1])
    print("| case | file | seconds | peak MB (growth in the check) | temp written "
          "| x normal time | x normal peak | result |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for hostile_case, normal in PAIRS:
        for case, base in ((normal, None), (hostile_case, runs[normal])):
            run = runs[case]
            ratios = (
                f"{run['seconds'] / base['seconds']:.2f} | {run['peak_mb'] / base['peak_mb']:.2f}"
                if base
                else "1 | 1"
            )
            print(
                f"| {case} | {run['size'] / 1024:,.0f} KB | {run['seconds']:.2f} | "
                f"{run['peak_mb']:,.0f} ({run['grown_mb']:,.0f}) | {run['unpacked'] / MB:,.1f} MB"
                f" | {ratios} | "
                f"{run['result'][:90]} |"
            )


if __name__ == "__main__":
    main()
