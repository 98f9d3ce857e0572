"""Lookup by date, region, dataset and entity, one at a time and over whole columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from esgledger.factors import (
    AmbiguousFactorError,
    FactorError,
    FactorLibrary,
    FactorNotFoundError,
    read_factor_file,
)


@pytest.fixture
def library(grid_path) -> FactorLibrary:
    return FactorLibrary([read_factor_file(grid_path, shipped=True)])


def value(library: FactorLibrary, on: date, **kwargs) -> float:
    return library.get("grid.electricity", on=on, **kwargs).value


def test_a_value_holds_from_its_start_until_the_next_one(library):
    assert value(library, date(2021, 1, 1)) == 0.60
    assert value(library, date(2021, 12, 31)) == 0.60
    assert value(library, date(2022, 1, 1)) == 0.55
    assert value(library, date(2023, 7, 1)) == 0.50


def test_valid_to_closes_a_value_and_before_the_first_start_nothing_holds(library):
    with pytest.raises(FactorNotFoundError, match="2024-01-01"):
        value(library, date(2024, 1, 1))
    with pytest.raises(FactorNotFoundError, match="everywhere 2021-01-01"):
        value(library, date(2020, 6, 30))


def test_asking_again_gives_the_same_answer_or_the_same_error(library):
    first = library.get("grid.electricity", on=date(2022, 6, 1), region="north")
    assert library.get("grid.electricity", on=date(2022, 6, 1), region="north") is first
    messages = []
    for _ in range(2):
        with pytest.raises(FactorNotFoundError) as raised:
            value(library, date(2024, 1, 1))
        messages.append(raised.value.message)
    assert messages[0] == messages[1]


def test_region_falls_back_to_the_value_for_everywhere(library):
    assert value(library, date(2022, 6, 1), region="north") == 0.70
    assert value(library, date(2021, 6, 1), region="north") == 0.60  # north starts in 2022
    assert value(library, date(2022, 6, 1), region="CN-XZ") == 0.55


def test_several_datasets_must_be_told_apart(grid_path, other_path):
    library = FactorLibrary([read_factor_file(grid_path), read_factor_file(other_path)])
    with pytest.raises(AmbiguousFactorError, match=r"test_grid = 389\.31 GJ/wan_m3"):
        library.get("ncv.natural_gas", on=date(2024, 1, 1))
    chosen = library.get("ncv.natural_gas", on=date(2024, 1, 1), dataset="test_other")
    assert (chosen.value, chosen.unit, chosen.dataset) == (48.0, "TJ/Gg", "test_other")


def test_unknown_key_suggests_the_nearest_ones(library):
    with pytest.raises(FactorNotFoundError, match=r"Did you mean grid\.electricity"):
        library.get("grid.electricty", on=date(2024, 1, 1))


OVERRIDE = """\
name: {name}
title: Measured values of one plant
version: "2023"
source: Plant laboratory report 2023-07, sample 14
{scope}
factors:
  - key: grid.electricity
    value: {value}
    unit: tCO2/MWh
    confidence: V
    citation: supply contract annex 2
"""


def overrides(write, grid_path, *scopes: tuple[str, str, float]) -> FactorLibrary:
    """The test grid as shipped defaults plus one user file per (name, scope, value)."""
    defaults = [read_factor_file(grid_path, shipped=True)]
    files = [
        read_factor_file(write(f"{name}.yaml", OVERRIDE.format(name=name, scope=scope, value=v)))
        for name, scope, v in scopes
    ]
    return FactorLibrary(defaults, files)


def test_override_sets_win_for_their_entities_and_years(write, grid_path):
    library = overrides(
        write,
        grid_path,
        ("everyone", "overrides: global", 0.40),
        ("smelter", "overrides: {entities: [SMELT]}", 0.30),
        ("smelter_2023", "overrides: {entities: [SMELT], years: [2023]}", 0.20),
    )
    on_2023, on_2022 = date(2023, 5, 1), date(2022, 5, 1)
    assert value(library, on_2023, entity="SMELT") == 0.20  # entity and year: most specific
    assert value(library, on_2022, entity="SMELT") == 0.30  # entity only
    assert value(library, on_2023, entity="MINE") == 0.40  # global
    assert value(library, on_2023) == 0.40
    assert library.get("grid.electricity", on=on_2023, dataset="test_grid").value == 0.40


def test_replaces_limits_an_override_to_lookups_of_one_dataset(write, grid_path, other_path):
    defaults = [read_factor_file(grid_path, shipped=True), read_factor_file(other_path)]
    text = OVERRIDE.format(name="mine", scope="replaces: test_other", value=0.1)
    library = FactorLibrary(defaults, [read_factor_file(write("r.yaml", text))])
    on = date(2023, 5, 1)
    assert value(library, on, dataset="test_grid") == 0.50
    assert value(library, on, dataset="test_other") == 0.1
    assert value(library, on) == 0.1


def test_an_override_naming_an_unknown_dataset_is_refused(write, grid_path):
    text = OVERRIDE.format(name="mine", scope="replaces: nowhere", value=0.1)
    with pytest.raises(FactorError, match="names no shipped dataset"):
        FactorLibrary([read_factor_file(grid_path)], [read_factor_file(write("r.yaml", text))])


def test_vectorized_lookup_equals_scalar_lookups(write, grid_path):
    library = overrides(write, grid_path, ("smelter", "overrides: {entities: [SMELT]}", 0.30))
    rng = np.random.default_rng(7)
    regions = rng.choice(np.array(["north", None, "south", "CN-NM"], dtype=object), size=1000)
    entities = rng.choice(np.array(["SMELT", "MINE", None], dtype=object), size=1000)
    on = date(2022, 3, 1)
    result = library.resolve_many("grid.electricity", on, regions, entities=entities)
    expected = [
        library.get("grid.electricity", on=on, region=r, entity=e).value
        for r, e in zip(regions, entities, strict=True)
    ]
    np.testing.assert_array_equal(result.values, np.array(expected))
    assert len(result.factors) <= 12  # one lookup per distinct (entity, region)
    used = [result.factors[i] for i in result.index[:5]]
    assert [f.value for f in used] == expected[:5]


def test_vectorized_lookup_converts_units_when_asked(library):
    regions = np.array(["north", None], dtype=object)
    kg_per_kwh = library.values("grid.electricity", date(2022, 6, 1), regions, unit="kgCO2/kWh")
    np.testing.assert_allclose(kg_per_kwh, [0.70, 0.55])


def test_shipped_library_on_a_column_of_provinces():
    from esgledger.factors import load_factor_sets

    library = load_factor_sets()
    codes = np.array(["CN-NM", "north", None, "CN-NM"], dtype=object)
    values = library.values("grid.electricity", date(2023, 12, 31), codes)
    np.testing.assert_array_equal(values, [0.6479, 0.6361, 0.5306, 0.6479])
