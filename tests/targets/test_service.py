"""Targets are judged through the calculation service: one read of the approved values, and
the user's factor files checked (and used) for the yearly and the run-rate figures alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.calc.service import read_inputs
from esgledger.catalog import load_catalog
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.factors import FactorFileError
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.targets.loader import load_targets
from esgledger.targets.service import targets_status
from tests.targets.test_cli import build_ledger

FACTORS = """name: plant
title: Plant factors
version: "1"
source: plant meter
overrides: {{entities: [SEP], years: [2023, 2024]}}
factors:
  - key: grid.electricity
    value: 2.0
    unit: tCO2/MWh
    region: {region}
    confidence: M
"""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> dict[str, str]:
    return build_ledger(tmp_path_factory.mktemp("ledger"))


def _status(ledger: dict[str, str], factor_files: tuple[Path, ...] = ()):
    catalog = load_catalog()
    database = open_database(ledger["db"])
    try:
        with unit_of_work(database) as session:
            return targets_status(
                session,
                catalog,
                load_targets(Path(ledger["targets"]), catalog),
                method_set=get_method_sets(DEFAULT_METHOD_SET)[0],
                factor_files=factor_files,
            )
    finally:
        database.dispose()


def _factors(folder: str, region: str) -> Path:
    path = Path(folder) / f"plant-{region}.yaml"
    path.write_text(FACTORS.format(region=region), encoding="utf-8")
    return path


def test_a_factor_file_naming_an_unknown_region_is_refused_for_targets(ledger):
    with pytest.raises(FactorFileError, match="regions that no entity and no shipped dataset"):
        _status(ledger, (_factors(ledger["folder"], "nrth"),))


def test_the_run_rate_uses_the_users_factor_file_like_the_yearly_figures(ledger):
    shipped = _status(ledger)
    own = _status(ledger, (_factors(ledger["folder"], "north"),))
    assert own.through == shipped.through == "2024-06"
    intensity = {r.target.id: r for r in own.reports}["key-intensity"]
    before = {r.target.id: r for r in shipped.reports}["key-intensity"]
    # SEP bought 1,500 MWh in Jan-Jun 2024 for 600 tREO: at 2.0 tCO2/MWh, 5 tCO2e per tREO
    assert intensity.run_rate.year_to_date == pytest.approx(5.0, rel=1e-3)
    assert before.run_rate.year_to_date != pytest.approx(5.0, rel=1e-3)
    assert intensity.years[0].value != before.years[0].value


def test_the_approved_values_are_read_once(ledger):
    """As many reads of the revisions as one read of the calculation's inputs: the yearly
    and the monthly figures come from the same read, not two moments of the ledger."""
    database = open_database(ledger["db"])
    reads: list[str] = []

    @event.listens_for(database, "before_cursor_execute")
    def count(conn, cursor, statement, *args) -> None:
        if "FROM revisions" in statement:
            reads.append(statement)

    try:
        with unit_of_work(database) as session:
            read_inputs(session, author="targets", record_snapshot=False)
        once = len(reads)
        reads.clear()
        catalog = load_catalog()
        with unit_of_work(database) as session:
            targets_status(
                session,
                catalog,
                load_targets(Path(ledger["targets"]), catalog),
                method_set=get_method_sets(DEFAULT_METHOD_SET)[0],
            )
        assert once >= 1 and len(reads) == once
    finally:
        database.dispose()
