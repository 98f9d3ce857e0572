"""An entity's regional power grid, from its grid_region or its administrative division code.

Location-based Scope 2 needs the grid a site draws from. A group names it per entity
(``grid_region``) or gives the site's 6-digit administrative division code (GB/T 2260),
from which ``data/grid_regions.yaml`` derives it. Nothing falls back to the national
average on its own: an entity whose grid cannot be worked out is refused where a grid
factor is needed, with a message saying what to add (see :func:`grid_problem`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

# the explicit choice of the national average, for an entity that spans grids
NATIONAL = "national"


@dataclass(frozen=True)
class ProvinceGrids:
    names: dict[str, str]  # province digits → name
    grids: dict[str, str | None]  # province digits → grid (None: split or off-grid)
    split: dict[str, dict[str, str]]  # province digits → prefecture digits → grid


@cache
def province_grids() -> ProvinceGrids:
    text = (files("esgledger.org") / "data" / "grid_regions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    provinces = data["provinces"]
    return ProvinceGrids(
        {code: spec["name"] for code, spec in provinces.items()},
        {code: spec["grid"] for code, spec in provinces.items()},
        data["split_provinces"],
    )


def known_province(division_code: str) -> bool:
    """Whether the code's first two digits name a province of GB/T 2260."""
    return division_code[:2] in province_grids().names


def grid_of_division(division_code: str) -> str | None:
    """The regional grid of a division code, or None where the code does not settle it."""
    table = province_grids()
    province = division_code[:2]
    if province in table.split:
        return table.split[province].get(division_code[:4])
    return table.grids.get(province)


def grid_region_of(grid_region: str | None, division_code: str | None) -> str | None:
    """The grid an entity's factors are looked up for: its own ``grid_region`` first,
    else the one its division code gives; None where neither settles it (``national``
    is the national average, chosen on purpose)."""
    if grid_region:
        return grid_region
    return grid_of_division(division_code) if division_code else None


def grid_problem(code: str, division_code: str | None) -> str:
    """Why entity ``code`` has no grid, and how to give it one."""
    fix = (
        f"give entity {code} a grid_region (north, northeast, east, central, northwest, "
        f"south, southwest, or '{NATIONAL}' for the national average) or a 6-digit "
        "division_code in the organisation file, and load it again (esgledger org load)"
    )
    if not division_code:
        return f"entity {code} has neither a grid_region nor a division_code; {fix}"
    table = province_grids()
    province = division_code[:2]
    name = table.names.get(province, province)
    if province in table.split:
        return (
            f"entity {code} has division code {division_code} in {name}, which is split "
            f"between grids by prefecture; the code does not name one of its prefectures "
            f"({', '.join(f'{p}xx' for p in sorted(table.split[province]))}); {fix}"
        )
    return f"entity {code} is in {name} (division code {division_code}), on no mainland grid; {fix}"
