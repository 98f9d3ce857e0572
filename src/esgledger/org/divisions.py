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

from esgledger.errors import Phrase

# the explicit choice of the national average, for an entity that spans grids
NATIONAL = "national"


@dataclass(frozen=True)
class ProvinceGrids:
    names: dict[str, str]  # province digits → name
    names_zh: dict[str, str]  # province digits → Chinese name
    grids: dict[str, str | None]  # province digits → grid (None: split or off-grid)
    split: dict[str, dict[str, str]]  # province digits → prefecture digits → grid


@cache
def province_grids() -> ProvinceGrids:
    text = (files("esgledger.org") / "data" / "grid_regions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    provinces = data["provinces"]
    return ProvinceGrids(
        {code: spec["name"] for code, spec in provinces.items()},
        {code: spec["name_zh"] for code, spec in provinces.items()},
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


def grid_problem(code: str, division_code: str | None) -> Phrase:
    """Why entity ``code`` has no grid, and how to give it one."""
    fix = Phrase.of("grid_region.fix", entity=code, national=NATIONAL)
    if not division_code:
        return Phrase.of("grid_region.no_region", entity=code, fix=fix)
    table = province_grids()
    province = division_code[:2]
    named = table.names.get(province, province), table.names_zh.get(province, province)
    name = Phrase.of("grid_region.province", en=named[0], zh=named[1])
    if province in table.split:
        prefectures = ", ".join(f"{p}xx" for p in sorted(table.split[province]))
        return Phrase.of(
            "grid_region.split",
            entity=code,
            division=division_code,
            name=name,
            prefectures=prefectures,
            fix=fix,
        )
    return Phrase.of(
        "grid_region.off_grid", entity=code, division=division_code, name=name, fix=fix
    )
