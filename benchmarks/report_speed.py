"""Report speed: the demo group's full 2024 report, HTML + PDF + XLSX in English and Chinese.

Run:  .venv/bin/python benchmarks/report_speed.py [--repeat N] [--keep DIR]

Builds the demo ledger (`esgledger demo`'s data, 2022-2024) into a temporary SQLite file,
then times `esgledger.report.build_report` for 2024 with every language and format, from
the snapshot the demo took, with the demo's targets file: one calculation, the targets
judged, two HTML documents with inline SVG charts, two
PDFs laid out by WeasyPrint (in two processes), two XLSX annexes. Prints the wall time of
each run, the CPU time of this process and its PDF workers, and the page counts.

Requirement (issue 5): under 30 s on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from pypdf import PdfReader

from esgledger.catalog import load_catalog
from esgledger.demo.build import build_demo
from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database
from esgledger.report import ReportRequest, build_report

BUDGET_SECONDS = 30.0


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="timed builds (default 2)")
    parser.add_argument("--keep", type=Path, help="also write the last build's files here")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        times = _timed_builds(Path(tmp), args.repeat, args.keep)
    median = statistics.median(times)
    verdict = "within" if median < BUDGET_SECONDS else "OVER"
    print(
        f"full 2024 report (HTML+PDF+XLSX, en+zh): best {min(times):.1f} s, median "
        f"{median:.1f} s — {verdict} the {BUDGET_SECONDS:.0f} s budget"
    )
    return 0 if median < BUDGET_SECONDS else 1


def _timed_builds(folder: Path, repeat: int, keep: Path | None) -> list[float]:
    """Build the demo ledger once, then the full report ``repeat`` times; wall seconds."""
    catalog = load_catalog()
    database = open_database(f"sqlite:///{folder / 'demo.db'}")
    started = time.perf_counter()
    ledger = build_demo(database, folder / "inputs", catalog, folder / "files")
    print(
        f"demo ledger built in {time.perf_counter() - started:.1f} s "
        f"({ledger.observations:,} approved observations, snapshot {ledger.snapshot_id})"
    )
    request = ReportRequest(
        2024,
        snapshot_id=ledger.snapshot_id,
        factor_files=(folder / "inputs" / factor_file().name,),
        targets_file=Path(str(files("esgledger.demo") / "data" / "targets.yaml")),
    )
    times = []
    for run in range(1, repeat + 1):
        out = keep if keep and run == repeat else folder / f"report-{run}"
        cpu, started = _cpu_seconds(), time.perf_counter()
        result = build_report(database, catalog, request, out)
        times.append(time.perf_counter() - started)
        pages = {p.name: len(PdfReader(p).pages) for p in result.paths if p.suffix == ".pdf"}
        print(
            f"run {run}: {times[-1]:.1f} s wall, {_cpu_seconds() - cpu:.1f} s CPU; "
            f"{len(result.paths)} files; pages {pages}"
        )
    database.dispose()
    return times


if __name__ == "__main__":
    raise SystemExit(main())
