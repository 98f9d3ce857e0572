"""Ledgers to report on: a small three-entity group built per test, and the demo group.

The demo ledger and its full report (HTML, PDF and XLSX in both languages) take a while to
build, so they are built once per run, for all workers, and only read by tests
(tests/shared.py checks at the end that no test wrote to them).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import partial
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.conftest import SMALL_GROUP, SharedDemo
from tests.shared import assert_unchanged, build_once, shared_root

from esgledger.catalog import load_catalog
from esgledger.demo.reproduce import FIGURES_FILE
from esgledger.ledger import calendar, revisions, snapshots
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.entry import restate
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.orgstore import save_entities
from esgledger.report import BuildResult, ReportRequest, build_report

SMALL_DATA = """entity,period,indicator,value,unit,comment
SMELT,2023,production.reo_output,1000,tREO,
SMELT,2024,production.reo_output,1200,tREO,
SMELT,2023-01,energy.purchased_electricity,400,MWh,
SMELT,2023-02,energy.purchased_electricity,600,MWh,
SMELT,2024-01,energy.purchased_electricity,700,MWh,
SMELT,2024-02,energy.purchased_electricity,500,MWh,
METAL,2023,energy.natural_gas,10000,Nm3,
METAL,2024,energy.natural_gas,12000,Nm3,
METAL,2023,water.fresh_withdrawal,5000,m3,
SMELT,2024,hr.headcount_total,120,person,
METAL,2024,hr.headcount_total,80,person,
"""
DEMO_TARGETS = Path(str(files("esgledger.demo") / "data" / "targets.yaml"))
RESTATED_REASON = "meter of January 2023 misread; corrected reading 450 MWh"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


def make_small_ledger(folder: Path, catalog, *, restated: bool = True) -> Engine:
    """2023 locked (one value restated), 2024 approved, snapshot 1; water for 2023 only."""
    database = open_database(f"sqlite:///{folder / 'small.db'}")
    migrate(database)
    data = folder / "small.csv"
    data.write_text(SMALL_DATA, encoding="utf-8")
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2023, 2024])
        save_entities(session, "tester", SMALL_GROUP)
    with unit_of_work(database) as session:
        import_file(session, data, "tester", catalog, submit=True)
    with unit_of_work(database) as session:
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())
        calendar.lock_period(session, "manager", "2023")
    if restated:
        with unit_of_work(database) as session:
            restate(
                session,
                "manager",
                catalog,
                "SMELT",
                "2023-01",
                "energy.purchased_electricity",
                450.0,
                "MWh",
                RESTATED_REASON,
            )
    with unit_of_work(database) as session:
        snapshots.take_snapshot(session, "manager")  # snapshot 1, which the tests report on
    return database


@pytest.fixture
def small_ledger(tmp_path: Path, catalog) -> Iterator[Engine]:
    database = make_small_ledger(tmp_path, catalog)
    yield database
    database.dispose()


@dataclass(frozen=True)
class DemoReport:
    """The demo ledger's 2024 report; the ledger and the files are shared, read-only."""

    database: Engine
    db_url: str
    factors: Path
    out: Path
    result: BuildResult
    ledger: SharedDemo

    def path(self, lang: str, fmt: str) -> Path:
        return self.out / f"esg-report-2024-{lang}.{fmt}"


def _build_demo_report(demo: SharedDemo, catalog, out: Path) -> dict:
    """The report as `make demo` builds it, and what the build returned, as JSON."""
    request = ReportRequest(
        2024,
        snapshot_id=demo.snapshot_id,
        factor_files=(demo.factors,),
        targets_file=DEMO_TARGETS,
        published_file=FIGURES_FILE,
    )
    database = open_database(demo.url)
    result = build_report(database, catalog, request, out)
    database.dispose()
    return {**asdict(result), "paths": [str(p) for p in result.paths]}


@pytest.fixture(scope="session")
def demo_report(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo, catalog
) -> Iterator[DemoReport]:
    """The demo ledger and its 2024 report in every language and format, built once."""
    root = shared_root(tmp_path_factory.getbasetemp())
    built = build_once(root, "demo-report", partial(_build_demo_report, demo_ledger, catalog))
    result = BuildResult(
        tuple(Path(p) for p in built["paths"]),
        tuple(built["warnings"]),
        built["snapshot_id"],
        built["snapshot_hash"],
        built["seconds"],
    )
    database = open_database(demo_ledger.url)
    out = root / "demo-report"
    yield DemoReport(database, demo_ledger.url, demo_ledger.factors, out, result, demo_ledger)
    database.dispose()
    assert_unchanged(root / "demo-report")


def pdf_text(path: Path) -> str:
    """The text of a PDF: pdftotext when installed (keeps table rows), else pypdf."""
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return done.stdout
    from pypdf import PdfReader

    return "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)
