"""Helpers for catalog tests: the shipped catalog, and small YAML files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog import Catalog, CatalogError, load_catalog

# A valid company indicator; tests break one field at a time. Line numbers matter:
# id is line 1, name line 2, unit line 3, ... definition line 9.
VALID_ENTRY = """\
- id: acme.site_power
  name: {en: Site power, zh: 厂区用电量}
  unit: MWh
  category: E
  kind: input
  quantity_type: flow
  aggregation: sum
  frequency: monthly
  definition: "Electricity metered at the Acme site."
"""


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write YAML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "acme.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def valid_entry() -> str:
    return VALID_ENTRY


@pytest.fixture
def catalog_error():
    """Load the shipped catalog plus some paths and return the CatalogError it raises."""

    def load(*paths: Path) -> CatalogError:
        with pytest.raises(CatalogError) as caught:
            load_catalog(list(paths))
        return caught.value

    return load


@pytest.fixture
def derived_entry():
    """A derived company indicator whose recipe is the YAML text ``recipe`` (line 10)."""
    return _derived_entry


def _derived_entry(
    indicator_id: str, recipe: str, unit: str = "MWh", aggregation: str = "sum"
) -> str:
    return f"""\
- id: {indicator_id}
  name: {{en: Derived, zh: 派生指标}}
  unit: {unit}
  category: E
  kind: derived
  quantity_type: flow
  aggregation: {aggregation}
  frequency: yearly
  definition: "Computed."
  {recipe}
"""
