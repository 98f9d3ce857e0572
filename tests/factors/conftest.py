"""Small factor files written into tmp_path, so each test shows the YAML it relies on."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

GRID = """\
name: test_grid
title: Test grid factors
version: "1"
source: Test source for grid factors, table 1
factors:
  - key: grid.electricity
    value: 0.60
    unit: tCO2/MWh
    valid_from: 2021-01-01
    confidence: V
  - key: grid.electricity
    value: 0.55
    unit: tCO2/MWh
    valid_from: 2022-01-01
    confidence: V
  - key: grid.electricity
    value: 0.50
    unit: tCO2/MWh
    valid_from: 2023-01-01
    valid_to: 2024-01-01
    confidence: T
  - key: grid.electricity
    value: 0.70
    unit: tCO2/MWh
    region: north
    valid_from: 2022-01-01
    confidence: V
  - key: ncv.natural_gas
    value: 389.31
    unit: GJ/wan_m3
    confidence: V
"""

OTHER = """\
name: test_other
title: Another dataset with the same key
version: "2006"
source: Test source, another table
factors:
  - key: ncv.natural_gas
    value: 48.0
    unit: TJ/Gg
    confidence: T
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write("name.yaml", text)`` → path of a file holding the dedented text."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def grid_path(write) -> Path:
    """A dataset ``test_grid``: a national series 2021-2023 and a north value from 2022."""
    return write("grid.yaml", GRID)


@pytest.fixture
def other_path(write) -> Path:
    """A dataset ``test_other`` that also defines ``ncv.natural_gas``."""
    return write("other.yaml", OTHER)
