"""The demo data hits the reference report's published figures exactly and stays consistent.

The demo is only worth showing if its group totals are the report's numbers to the last
digit, its tree is a tree, and the files a user imports hold the same rows the generator made.
"""

from __future__ import annotations

import csv
import doctest
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from esgledger.demo import generate
from esgledger.demo.generate import DATA_DIR, input_rows, published_totals, rows, write_files
from esgledger.org import OrgTree, read_entities
from esgledger.units import conversion_factor

REFERENCE = Path("/work/shared/reference")
Key = tuple[str, int, str]  # indicator, year, entity


def _yaml(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_rows() -> list[dict[str, str]]:
    return rows()


@pytest.fixture(scope="module")
def by_entity(demo_rows) -> dict[Key, Decimal]:
    """Yearly value per (indicator, year, entity), months added up."""
    sums: dict[Key, Decimal] = defaultdict(Decimal)
    for row in demo_rows:
        sums[(row["indicator"], int(row["period"][:4]), row["entity"])] += Decimal(row["value"])
    return sums


def _group(by_entity: dict[Key, Decimal], indicator: str, year: int) -> Decimal:
    return sum(
        (v for (i, y, _), v in by_entity.items() if i == indicator and y == year), Decimal(0)
    )


def test_every_published_total_is_met_exactly(by_entity):
    totals = published_totals()
    assert ("energy.purchased_electricity", 2024) in totals
    for (indicator, year), figure in totals.items():
        assert _group(by_entity, indicator, year) == figure, f"{indicator} {year}"


def test_published_figures_include_the_energy_table():
    totals = published_totals()
    assert totals[("energy.natural_gas", 2022)] == Decimal("95983976")
    assert totals[("energy.renewable_self_generated", 2024)] == Decimal("93750")
    assert totals[("waste.household", 2024)] == Decimal("1572.20")


def test_scoped_figures_stay_inside_their_entity(demo_rows):
    tree = OrgTree(read_entities(DATA_DIR / "org.yaml"))
    for figure in generate.load_figures().values():
        if figure.scope:
            inside = {figure.scope} | {e.code for e in tree.descendants(figure.scope)}
            entities = {r["entity"] for r in demo_rows if r["indicator"] == figure.indicator}
            assert entities <= inside, figure.indicator


def test_org_is_one_tree_with_unique_codes():
    entities = _yaml("org.yaml")["entities"]
    codes = [e["code"] for e in entities]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z0-9-]+", code) for code in codes)
    parents = {e["code"]: e["parent"] for e in entities}
    assert [code for code, parent in parents.items() if parent is None] == ["NRE"]
    for code in codes:
        seen = {code}
        while parents[code] is not None:
            assert parents[code] in parents, f"{code} has unknown parent {parents[code]}"
            code = parents[code]
            assert code not in seen, f"cycle through {code}"
            seen.add(code)


def test_org_fields_are_the_documented_ones():
    grids = {"north", "northeast", "east", "central", "northwest", "south"}
    segments = {
        "smelting_separation",
        "metals",
        "functional_materials",
        "applications",
        "trading_services",
        None,
    }
    entities = _yaml("org.yaml")["entities"]
    for entity in entities:
        assert entity["grid_region"] in grids and entity["segment"] in segments, entity["code"]
        assert 0 < entity["ownership_share"] <= 1, entity["code"]
    key = [e for e in entities if "key-entity" in e["tags"]]
    assert len(key) == 7
    assert {e["segment"] for e in key} == {"smelting_separation", "metals"}
    assert sum(e["kind"] == "subsidiary" for e in entities) >= 12
    assert any(e["kind"] == "facility" for e in entities)


def test_org_file_loads_with_the_org_package():
    tree = OrgTree(read_entities(DATA_DIR / "org.yaml"))
    assert tree.root is not None and tree.root.code == "NRE"


def test_allocation_names_only_entities_of_the_org():
    codes = {e["code"] for e in _yaml("org.yaml")["entities"]}
    spec = _yaml("allocation.yaml")
    named = {spec["root"], *spec["active_from"]}
    named |= {e for table in spec["share_sets"].values() for e in table}
    named |= {o["entity"] for o in spec["unit_overrides"]}
    for rule in spec["rules"].values():
        for part in rule if isinstance(rule, list) else [{"shares": rule}]:
            if isinstance(part.get("shares"), dict):
                named |= set(part["shares"])
    for choice in spec["monthly"]["indicators"].values():
        if isinstance(choice, dict):
            named |= set(choice) - {"default"}
    assert named <= codes, sorted(named - codes)


def test_entities_that_joined_in_2024_have_no_earlier_rows(demo_rows):
    for code in ("ZXAT", "RECYCLE"):
        years = {r["period"][:4] for r in demo_rows if r["entity"] == code}
        assert years == {"2024"}, code


def test_values_are_plain_non_negative_decimals(demo_rows):
    for row in demo_rows:
        assert re.fullmatch(r"\d+(\.\d+)?", row["value"]), row
        assert Decimal(row["value"]) >= 0


def test_monthly_indicators_have_monthly_rows_only(demo_rows):
    monthly = generate.monthly_indicators()
    assert "energy.power_coal" in monthly and "production.reo_output" in monthly
    for row in demo_rows:
        assert (len(row["period"]) == 7) == (row["indicator"] in monthly), row
    months = {r["period"] for r in demo_rows if r["indicator"] == "energy.diesel"}
    assert len(months) == 36


def test_generation_is_deterministic(demo_rows):
    assert rows() == demo_rows


def test_apportion_doctests():
    assert doctest.testmod(generate).failed == 0


def _kgce(by_entity: dict[Key, Decimal], year: int) -> Decimal:
    """Comprehensive energy with the coefficient set modeled.yaml states (GB/T 2589-2020)."""
    coefficients = _yaml("modeled.yaml")["assumptions"]["energy_kgce_per_unit"]
    return sum(
        (_group(by_entity, i, year) * Decimal(c) for i, c in coefficients.items()), Decimal(0)
    )


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_rows_reproduce_the_published_intensities(by_entity, year):
    ratios = published_totals(derived=True)
    energy = _kgce(by_entity, year) / _group(by_entity, "production.reo_output", year)
    assert energy.quantize(Decimal(1), ROUND_HALF_UP) == ratios[("energy.intensity_per_treo", year)]
    water = sum(
        v
        for (i, y, e), v in by_entity.items()
        if i == "water.fresh_withdrawal" and y == year and _segment(e) == "smelting_separation"
    )
    water_per_treo = water / _group(by_entity, "production.reo_output_smelting_separation", year)
    published = ratios[("water.intensity_per_treo_smelting", year)]
    assert water_per_treo.quantize(Decimal("0.01")) == published


def test_rows_reproduce_the_published_2024_shares(by_entity):
    ratios = published_totals(derived=True)
    # Non-fossil energy as the catalog defines it: self-generated renewables plus green power
    # bought inside purchased electricity (which comprehensive energy does not add again).
    non_fossil = sum(
        _group(by_entity, i, 2024)
        for i in ("energy.renewable_self_generated", "energy.green_power_purchased")
    )
    share = 100 * non_fossil * Decimal("122.9") / _kgce(by_entity, 2024)
    assert share.quantize(Decimal(1), ROUND_HALF_UP) == ratios[("energy.renewable_share", 2024)]
    rd = 100 * _group(by_entity, "rd.expenditure", 2024) / _group(by_entity, "org.revenue", 2024)
    assert rd.quantize(Decimal("0.01")) == ratios[("rd.intensity", 2024)]
    corrected = _group(by_entity, "safety.hazards_corrected", 2024)
    rate = 100 * corrected / _group(by_entity, "safety.hazards_identified", 2024)
    assert rate == ratios[("safety.hazard_correction_rate", 2024)]


def _segment(code: str) -> str | None:
    return next(e["segment"] for e in _yaml("org.yaml")["entities"] if e["code"] == code)


def test_entity_values_are_consistent_with_each_other(by_entity):
    def value(indicator: str, year: int, entity: str) -> Decimal:
        return by_entity.get((indicator, year, entity), Decimal(0))

    for indicator, year, entity in list(by_entity):
        args = (year, entity)
        if indicator == "hr.headcount_total":
            parts = value("hr.headcount_male", *args) + value("hr.headcount_female", *args)
            assert value(indicator, *args) == parts
        if indicator == "production.reo_output_smelting_separation":
            assert value("production.reo_output", *args) == value(indicator, *args)
        if indicator == "waste.fgd_gypsum":
            assert value("waste.general_industrial_generated", *args) >= value(indicator, *args)
            assert value("waste.general_industrial_utilised", *args) <= value(indicator, *args)
        if indicator == "waste.hazardous_generated":
            parts = value("waste.mineral_oil", *args) + value("waste.waste_acid", *args)
            assert value(indicator, *args) >= parts
    assert value("water.fresh_withdrawal", 2024, "SMELT-HYD") >= value(
        "water.withdrawal_surface", 2024, "SMELT-HYD"
    )


def test_lost_time_injury_rate_meets_the_reported_target(by_entity):
    injuries = _group(by_entity, "safety.lost_time_injuries", 2024)
    assert 1000 * injuries / _group(by_entity, "hr.headcount_total", 2024) < Decimal("0.6")


def test_every_figure_is_sourced_and_every_modeled_one_flagged():
    for spec in _yaml("published.yaml")["figures"].values():
        assert spec["source"] and "modeled" not in spec
    for indicator, spec in _yaml("modeled.yaml")["figures"].items():
        assert spec["modeled"] is True and spec["why"], indicator


def test_ids_come_from_the_reference_catalog_or_the_project_catalog():
    catalogs = [REFERENCE / "indicator_catalog.csv", REFERENCE / "indicator_catalog_extended.csv"]
    if not all(path.exists() for path in catalogs):
        pytest.skip("reference catalog not available")
    known: set[str] = set()
    for path in catalogs:
        with path.open(encoding="utf-8") as handle:
            known |= {row["indicator_id"] for row in csv.DictReader(handle)}
    catalog = pytest.importorskip("esgledger.catalog").load_catalog()
    for indicator in generate.load_figures():
        assert indicator in known or indicator in catalog, indicator


def test_figures_fit_the_project_catalog():
    """Units convert to the catalog's and only its input indicators are emitted as rows."""
    catalog = pytest.importorskip("esgledger.catalog").load_catalog()
    for indicator, figure in generate.load_figures().items():
        entry = catalog.get(indicator)
        assert conversion_factor(figure.unit, entry.unit) == 1, indicator
        assert figure.derived == (entry.kind.value == "derived"), indicator
        if entry.frequency.value == "monthly" and not figure.derived:
            assert indicator in generate.monthly_indicators(), indicator


def test_unit_overrides_convert_back_to_the_published_totals():
    spec = _yaml("allocation.yaml")
    units = {f.indicator: f.unit for f in generate.load_figures().values()}
    for override in spec["unit_overrides"]:
        factor = conversion_factor(override["unit"], units[override["indicator"]])
        assert factor == pytest.approx(1 / float(override["factor"]))
    factors = {(o["entity"], o["indicator"]): Decimal(o["factor"]) for o in spec["unit_overrides"]}
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in input_rows():
        value = Decimal(row["value"]) / factors.get((row["entity"], row["indicator"]), Decimal(1))
        totals[(row["indicator"], int(row["period"][:4]))] += value
    assert any(r["unit"] == "kWh" for r in input_rows())
    for key, figure in published_totals().items():
        assert totals[key] == figure, key


def test_written_files_read_back_to_the_same_rows(tmp_path):
    paths = write_files(tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        [f"demo-yearly-{y}.csv" for y in (2022, 2023, 2024)]
        + [f"demo-monthly-{y}.xlsx" for y in (2022, 2023, 2024)]
    )
    read: list[dict[str, str]] = []
    for path in sorted(paths):
        read.extend(_read_csv(path) if path.suffix == ".csv" else _read_xlsx(path))
    expected = sorted(input_rows(), key=_order)
    assert [_normalised(r) for r in sorted(read, key=_order)] == [_normalised(r) for r in expected]


def _order(row: dict[str, str]) -> tuple[str, ...]:
    return row["indicator"], row["entity"], row["period"]


def _normalised(row: dict[str, str]) -> tuple:
    return (*_order(row), Decimal(row["value"]), row["unit"], row["comment"])


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == generate.COLUMNS
        return list(reader)


def _read_xlsx(path: Path) -> list[dict[str, str]]:
    sheet = load_workbook(path, read_only=True)["data"]
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == generate.COLUMNS
    return [
        {c: str(v) for c, v in zip(generate.COLUMNS, cells, strict=True)} for cells in table[1:]
    ]


def test_written_files_are_read_by_the_ledger_importer(tmp_path):
    reader = pytest.importorskip("esgledger.ledger.imports.reader")
    expected = {(_order(r), Decimal(r["value"]), r["unit"]) for r in input_rows()}
    seen = set()
    for path in write_files(tmp_path):
        for cells in reader.read_table(path).frame.iter_rows(named=True):
            seen.add((_order(cells), Decimal(cells["value"]), cells["unit"]))
    assert seen == expected


@pytest.mark.parametrize("units", [0, 1, 7, 44_000, 819_687])
def test_apportion_adds_up_and_stays_within_one_unit_of_the_quota(units):
    weights = [Fraction(w) for w in (3, 40, 200, 25, 55, 70, 1, 1)]
    parts = generate.apportion(units, weights)
    assert sum(parts) == units
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - units * weight / sum(weights)) < 1


def test_written_files_pass_the_ledger_import(tmp_path):
    """The demo files import cleanly: known entities and ids, compatible units, no ratios."""
    pytest.importorskip("esgledger.catalog")
    from esgledger.catalog import load_catalog
    from esgledger.ledger.calendar import open_years
    from esgledger.ledger.database import migrate, open_database, unit_of_work
    from esgledger.ledger.imports.apply import import_file
    from esgledger.ledger.orgstore import save_entities

    database = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate(database)
    with unit_of_work(database) as session:
        save_entities(session, "demo", read_entities(DATA_DIR / "org.yaml"))
        open_years(session, "demo", _yaml("allocation.yaml")["years"])
    catalog = load_catalog()
    imported = 0
    for path in write_files(tmp_path / "files"):
        with unit_of_work(database) as session:
            imported += import_file(session, path, "demo", catalog).new_revisions
    database.dispose()
    assert imported == len(input_rows())
