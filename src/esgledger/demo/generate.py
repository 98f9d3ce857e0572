"""The demo group's observations, generated deterministically from ``data/*.yaml``.

A demo is only convincing if its group totals are the very numbers the reference customer's
2024 ESG report publishes, so that anyone can hold the demo against the report. The report
gives group totals only; ``allocation.yaml`` says how each total splits over the entities of
``org.yaml`` and over the months, and ``modeled.yaml`` fills in what the report leaves out.

Totals are split with the largest-remainder method in integer units of the figure's last
decimal (or the finer unit ``split_decimals`` asks for): first over entities, then over
months. Every sum is therefore exact, and values leave this module as decimal strings, never
as floats. No randomness: the same YAML always gives the same rows.

The demo carries the real group's name, so every row the report does not publish as is (a
month, a subsidiary's share of a published total, a figure the report never gives) has the
data-quality tier ``modeled``; only a published yearly figure held whole by the entity the
report speaks of leaves the tier empty.

Some modeled inputs need factors that esgledger does not ship (PFCs of rare-earth
electrolysis, Scope 3): ``data/demo_factors.yaml`` holds illustrative ones, a user factor file
to pass to the engine with the demo's rows (:func:`factor_file`).
"""

from __future__ import annotations

import csv
import math
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

from esgledger.errors import ErrorKind, EsgError
from esgledger.spreadsheet_cells import csv_text, xlsx_row

DATA_DIR = Path(__file__).with_name("data")
FACTOR_FILE_NAME = "demo_factors.yaml"
COLUMNS = ("entity", "period", "indicator", "value", "unit", "comment", "quality")
MODELED = "modeled"  # the data-quality tier of every value the report does not publish as is
Row = dict[str, str]


class DemoDataError(EsgError):
    """The demo YAML files contradict each other; they ship with esgledger, so this is our bug."""

    kind = ErrorKind.BUG


@dataclass(frozen=True)
class Figure:
    """An indicator's figures by year, and which of those years the report itself publishes."""

    indicator: str
    unit: str
    values: dict[int, Decimal]
    published_years: frozenset[int]
    derived: bool = False
    scope: str | None = None


@cache
def _yaml(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_figures() -> dict[str, Figure]:
    """Published and modeled figures, merged per indicator; a year may come from one file only."""
    years = set(_yaml("allocation.yaml")["years"])
    merged: dict[str, Figure] = {}
    for name, published in (("published.yaml", True), ("modeled.yaml", False)):
        for indicator, spec in _yaml(name)["figures"].items():
            values = {int(year): Decimal(str(value)) for year, value in spec["values"].items()}
            old = merged.get(indicator) or Figure(indicator, spec["unit"], {}, frozenset())
            if not values.keys() <= years or old.values.keys() & values.keys():
                raise DemoDataError(f"{name}: {indicator} repeats a year or leaves {sorted(years)}")
            if old.unit != spec["unit"]:
                raise DemoDataError(f"{name}: {indicator} in {spec['unit']}, elsewhere {old.unit}")
            merged[indicator] = Figure(
                indicator,
                spec["unit"],
                {**old.values, **values},
                old.published_years | frozenset(values if published else ()),
                bool(spec.get("derived", False)),
                spec.get("scope"),
            )
    return merged


def published_totals(derived: bool = False) -> dict[tuple[str, int], Decimal]:
    """The report's figures by (indicator, year): the group totals the rows must add up to.

    With ``derived=True``, the ratios the report publishes instead (intensities, shares),
    which the engine must reproduce from the rows.
    """
    return {
        (figure.indicator, year): value
        for figure in load_figures().values()
        if figure.derived == derived
        for year, value in figure.values.items()
        if year in figure.published_years
    }


def monthly_indicators() -> frozenset[str]:
    """Indicators collected per month (energy carriers and production), per allocation.yaml."""
    return frozenset(_yaml("allocation.yaml")["monthly"]["indicators"])


def apportion(units: int, weights: Sequence[Fraction]) -> list[int]:
    """Split ``units`` in proportion to ``weights`` so that the parts add up exactly.

    Largest-remainder method: every part gets the floor of its quota, and the units left go
    to the largest remainders (ties to the earlier part), so the result is deterministic.

    >>> apportion(10, [Fraction(1), Fraction(1), Fraction(1)])
    [4, 3, 3]
    >>> apportion(0, [Fraction(2), Fraction(0)])
    [0, 0]
    """
    total = sum(weights, Fraction(0))
    if units < 0 or total <= 0 or any(weight < 0 for weight in weights):
        raise DemoDataError(f"cannot split {units} units over weights {list(map(str, weights))}")
    quotas = [units * weight / total for weight in weights]
    parts = [math.floor(quota) for quota in quotas]
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - quotas[i], i))
    for i in by_remainder[: units - sum(parts)]:
        parts[i] += 1
    return parts


def _to_units(value: Decimal, decimals: int) -> int:
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise DemoDataError(f"{value} has over {decimals} decimals; it cannot be split exactly")
    return int(scaled)


def _text(units: int, decimals: int) -> str:
    return format(Decimal(units).scaleb(-decimals), "f")


class _Allocator:
    """Entity values per (indicator, year), resolved on demand because rules refer to each other."""

    def __init__(self) -> None:
        self.figures = {k: f for k, f in load_figures().items() if not f.derived}
        self.spec = _yaml("allocation.yaml")
        self.order = [entity["code"] for entity in _yaml("org.yaml")["entities"]]
        self._memo: dict[tuple[str, int], dict[str, int]] = {}
        self._busy: set[tuple[str, int]] = set()

    def decimals(self, indicator: str, year: int) -> int:
        own = -min(0, int(self.figures[indicator].values[year].as_tuple().exponent))
        return max(own, self.spec.get("split_decimals", {}).get(indicator, 0))

    def units(self, indicator: str, year: int) -> dict[str, int]:
        """Integer units (at ``decimals``) per entity, in org.yaml order."""
        key = (indicator, year)
        if key in self._busy:
            raise DemoDataError(f"allocation.yaml: the rules of {indicator} form a cycle")
        if key not in self._memo:
            self._busy.add(key)
            units = self._resolve(indicator, year)
            self._busy.discard(key)
            self._memo[key] = {code: units[code] for code in self.order if code in units}
        return self._memo[key]

    def values(self, indicator: str, year: int) -> dict[str, Decimal]:
        decimals = self.decimals(indicator, year)
        return {e: Decimal(_text(u, decimals)) for e, u in self.units(indicator, year).items()}

    def _resolve(self, indicator: str, year: int) -> dict[str, int]:
        decimals = self.decimals(indicator, year)
        total = _to_units(self.figures[indicator].values[year], decimals)
        parts = self._parts(indicator)
        result: dict[str, int] = {}
        for index, part in enumerate(parts):
            if "copy" in part:
                copied = self.values(part["copy"], year)
                got = {entity: _to_units(value, decimals) for entity, value in copied.items()}
            elif "amount" in part:  # a fixed part; a year it does not name has none
                amount = part["amount"].get(year)
                units = 0 if amount is None else _to_units(Decimal(str(amount)), decimals)
                got = self._split(units, part["shares"], year) if units else {}
            elif index == len(parts) - 1:
                got = self._split(total - sum(result.values()), part["shares"], year)
            else:
                raise DemoDataError(f"allocation.yaml: only the last part of {indicator} is a rest")
            for entity, share in got.items():
                result[entity] = result.get(entity, 0) + share
        if sum(result.values()) != total or min(result.values(), default=0) < 0:
            raise DemoDataError(f"allocation.yaml: the parts of {indicator} {year} miss its total")
        return result

    def _parts(self, indicator: str) -> list[dict[str, Any]]:
        if indicator in self.spec["group_level"]:
            return [{"shares": {self.spec["root"]: 1}}]
        rule = self.spec["rules"].get(indicator)
        if rule is None:
            raise DemoDataError(
                f"allocation.yaml: give {indicator} a rule or list it in group_level"
            )
        return rule if isinstance(rule, list) else [{"shares": rule}]

    def _split(self, units: int, shares: str | dict[str, Any], year: int) -> dict[str, int]:
        weights = self._weights(shares, year)
        if units == 0 and not weights:
            return {}
        return dict(zip(weights, apportion(units, list(weights.values())), strict=True))

    def _weights(self, shares: str | dict[str, Any], year: int) -> dict[str, Fraction]:
        if isinstance(shares, str) and shares.startswith("@"):
            table: dict[str, Any] = dict(self.values(shares[1:], year))
        elif isinstance(shares, str):
            table = self.spec["share_sets"][shares]
        else:
            table = shares
        unknown = set(table) - set(self.order)
        if unknown:
            raise DemoDataError(f"allocation.yaml: {sorted(unknown)} are not entities of org.yaml")
        first_year = self.spec.get("active_from", {})
        return {e: Fraction(str(w)) for e, w in table.items() if first_year.get(e, year) <= year}

    def months(self, indicator: str, entity: str, units: int) -> list[int]:
        """The entity's yearly units over January..December by the indicator's profile."""
        monthly = self.spec["monthly"]
        choice = monthly["indicators"][indicator]
        name = choice if isinstance(choice, str) else choice.get(entity, choice["default"])
        profile = monthly["profiles"][name]
        if len(profile) != 12:
            raise DemoDataError(f"allocation.yaml: profile {name} needs 12 monthly weights")
        return apportion(units, [Fraction(str(weight)) for weight in profile])


def rows() -> list[Row]:
    """Every demo observation in its indicator's unit, monthly or yearly as allocation.yaml says.

    Columns are those of :data:`COLUMNS`; values are exact decimal strings. A row is of
    quality ``modeled`` unless it is a figure of the report exactly as published (see
    :func:`_as_published`); those leave the tier empty, as the report does not give it.
    """
    allocator = _Allocator()
    out: list[Row] = []
    for figure in allocator.figures.values():
        for year in sorted(figure.values):
            out.extend(_indicator_rows(allocator, figure, year))
    return out


def _indicator_rows(allocator: _Allocator, figure: Figure, year: int) -> list[Row]:
    decimals = allocator.decimals(figure.indicator, year)
    monthly = figure.indicator in allocator.spec["monthly"]["indicators"]
    out = []
    for entity, units in allocator.units(figure.indicator, year).items():
        if monthly:
            parts = allocator.months(figure.indicator, entity, units)
            periods = [f"{year}-{month:02d}" for month in range(1, 13)]
        else:
            parts, periods = [units], [str(year)]
        for period, part in zip(periods, parts, strict=True):
            published = _as_published(allocator, figure, entity, period)
            cells = (
                entity,
                period,
                figure.indicator,
                _text(part, decimals),
                figure.unit,
                _comment(figure, year, published),
                "" if published else MODELED,
            )
            out.append(dict(zip(COLUMNS, cells, strict=True)))
    return out


def _as_published(allocator: _Allocator, figure: Figure, entity: str, period: str) -> bool:
    """Whether this row is the report's figure itself, not a part the demo split it into.

    Only a yearly row of a published year, held whole by the entity the report speaks of
    (the group's root, or the figure's ``scope``), is; a month, a subsidiary's share, or a
    published total placed at one of the named entity's facilities is modeled, even though
    the parts add up to the published figure.
    """
    year = int(period[:4])
    return (
        year in figure.published_years
        and period == str(year)
        and entity == (figure.scope or allocator.spec["root"])
        and allocator.units(figure.indicator, year)
        == {entity: _to_units(figure.values[year], allocator.decimals(figure.indicator, year))}
    )


def _comment(figure: Figure, year: int, published: bool) -> str:
    if published:
        return "report figure"
    if year in figure.published_years:
        return "report figure, apportioned (modeled split)"
    return "modeled"


def input_rows() -> list[Row]:
    """The rows as an importing user's files hold them: a few in another unit (unit_overrides).

    Factors are powers of ten, so the converted values stay exact decimals and the totals,
    converted back by the importer, still equal the report's figures.
    """
    spec = _yaml("allocation.yaml")["unit_overrides"]
    overrides = {(item["entity"], item["indicator"]): item for item in spec}
    out = []
    for row in rows():
        if override := overrides.get((row["entity"], row["indicator"])):
            value = Decimal(row["value"]) * Decimal(override["factor"])
            unit = override["unit"]
            comment = f"{row['comment']}; given in {unit}"
            row = {**row, "value": format(value.normalize(), "f"), "unit": unit, "comment": comment}
        out.append(row)
    return out


def factor_file() -> Path:
    """The demo's user factor file: illustrative PFC and Scope 3 factors (confidence M).

    Pass it to the engine with the demo's data (``esgledger calc --factors``, or
    ``factor_files=`` of the calculation service); without it the PFC term of the metal
    plants and the Scope 3 categories the demo models cannot be computed.
    """
    return DATA_DIR / FACTOR_FILE_NAME


def write_files(out_dir: Path) -> list[Path]:
    """Write the demo input files a user would import, and return their paths.

    One long-layout CSV per year for yearly data (``demo-yearly-2024.csv``) and one XLSX per
    year for monthly data (``demo-monthly-2024.xlsx``, sheet ``data``), as groups collect them.
    A copy of :func:`factor_file` is written beside them for ``esgledger calc --factors``; it
    is not an import file, so it is not among the paths returned.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(factor_file(), out_dir / FACTOR_FILE_NAME)
    data = input_rows()
    paths = []
    for year in _yaml("allocation.yaml")["years"]:
        yearly = [row for row in data if row["period"] == str(year)]
        monthly = [row for row in data if row["period"].startswith(f"{year}-")]
        paths.append(_write_csv(out_dir / f"demo-yearly-{year}.csv", yearly))
        paths.append(_write_xlsx(out_dir / f"demo-monthly-{year}.xlsx", monthly))
    return paths


def _write_csv(path: Path, data: list[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: csv_text(text) for key, text in row.items()} for row in data)
    return path


def _write_xlsx(path: Path, data: list[Row]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(xlsx_row(sheet, COLUMNS))
    for row in data:
        sheet.append(
            xlsx_row(sheet, [_cell(row[key]) if key == "value" else row[key] for key in COLUMNS])
        )
    workbook.save(path)
    return path


def _cell(text: str) -> int | float | str:
    """A number cell when the spreadsheet number is exactly the decimal; else the text itself."""
    value = Decimal(text)
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else text


def yearly_split(indicator: str, year: int) -> dict[str, int]:
    """The demo's whole-unit yearly figure of a count indicator per entity, as its input files
    carry it, for registers generated to agree with the typed totals; {} for a year without
    one."""
    allocator = _Allocator()
    figure = allocator.figures.get(indicator)
    if figure is None or year not in figure.values:
        return {}
    if allocator.decimals(indicator, year):
        raise DemoDataError(f"{indicator} {year} is not a whole count; it cannot be a register")
    return allocator.units(indicator, year)
