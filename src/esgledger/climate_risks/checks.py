"""Checking a register item before it is written: every problem found, in both languages.

Shape errors come from the pydantic models; value errors (a likelihood off the scale, an
entity, indicator or target nobody knows, a range whose low end is above its high end, a
foreign currency without a rate) are coded problems (``errors_text/climate_risks``) located
at the field, or at the sheet, row and column of an imported workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from esgledger.climate_risks.model import ClimateItem, FinancialEffect
from esgledger.climate_risks.scales import Scales, load_scales
from esgledger.errors import Location, Problem, ValidationFailed
from esgledger.units import UnitError, conversion_factor

Locate = Callable[[str], Location]


@dataclass(frozen=True)
class Known:
    """What an item may name: entity codes, indicator codes and target ids."""

    entities: Collection[str]
    indicators: Collection[str]
    targets: Collection[str]


def field_location(name: str) -> Location:
    """A form's or an API body's field."""
    return Location(column=name)


def parse_item(
    raw: Mapping[str, Any], known: Known, locate: Locate = field_location
) -> tuple[ClimateItem | None, list[Problem]]:
    """The item and no problems, or None and every problem found."""
    try:
        item = ClimateItem.model_validate(dict(raw))
    except ValidationError as exc:
        return None, [_shape_problem(error, raw, locate) for error in exc.errors()]
    return (None, found) if (found := item_problems(item, known, locate)) else (item, [])


def check_item(raw: Mapping[str, Any], known: Known) -> ClimateItem:
    """The item, or :class:`ValidationFailed` naming every problem (nothing is written)."""
    item, problems = parse_item(raw, known)
    if item is None:
        raise invalid(str(raw.get("key", "")), problems)
    return item


def invalid(key: str, problems: list[Problem]) -> ValidationFailed:
    return ValidationFailed.refusing(
        problems, "climate_risks.invalid", key=key, count=len(problems)
    )


def _shape_problem(error: Mapping[str, Any], raw: Mapping[str, Any], locate: Locate) -> Problem:
    path = ".".join(str(part) for part in error.get("loc", ()))
    top = str(error.get("loc", ("",))[0]) if error.get("loc") else ""
    value = raw.get(top) if top else None
    return Problem.coded(
        locate(path or top), None if value is None else str(value), "climate_risks.field_invalid",
        field=path, detail=str(error.get("msg", "")),
    )  # fmt: skip


def item_problems(item: ClimateItem, known: Known, locate: Locate) -> list[Problem]:
    """Problems of the values of a well-shaped item."""
    scales = load_scales()
    found = _scale_problems(item, scales, locate)
    for given, names, field, code in (
        (item.entities, known.entities, "entities", "climate_risks.unknown_entity"),
        (item.metrics, known.indicators, "metrics", "climate_risks.unknown_indicator"),
        (item.targets, known.targets, "targets", "climate_risks.unknown_target"),
    ):
        found += _unknown(given, names, code, field, locate)
    for name in ("current_effect", "anticipated_effect"):
        effect = getattr(item, name)
        if effect is not None:
            found += effect_problems(effect, name, scales, locate)
    derived = item.derived_effect
    if derived is not None and derived.line not in scales.statement_lines:
        found.append(_line_problem(derived.line, "derived_effect.line", scales, locate))
    return found


def _scale_problems(item: ClimateItem, scales: Scales, locate: Locate) -> list[Problem]:
    found = []
    if scales.kind_of(item.category) is None:
        found.append(Problem.coded(
            locate("category"), item.category, "climate_risks.unknown_category",
            known=", ".join(scales.all_categories()),
        ))  # fmt: skip
    if item.horizon not in scales.horizons:
        found.append(Problem.coded(
            locate("horizon"), item.horizon, "climate_risks.unknown_horizon",
            known=", ".join(scales.horizons),
        ))  # fmt: skip
    for name, scale in (("likelihood", scales.likelihood), ("impact", scales.impact)):
        value = getattr(item, name)
        if value not in scale:
            found.append(Problem.coded(
                locate(name), str(value), "climate_risks.off_scale",
                field=name, low=min(scale), high=max(scale),
            ))  # fmt: skip
    return found


def _unknown(
    given: tuple[str, ...], known: Collection[str], code: str, field: str, locate: Locate
) -> list[Problem]:
    return [
        Problem.coded(locate(field), name, code, name=name) for name in given if name not in known
    ]


def effect_problems(
    effect: FinancialEffect, field: str, scales: Scales, locate: Locate
) -> list[Problem]:
    """A range in order, a currency convertible to CNY, a known line of the statements."""
    found = []
    if effect.low > effect.high:
        found.append(Problem.coded(
            locate(f"{field}.low"), f"{effect.low:g} > {effect.high:g}",
            "climate_risks.range_order", field=field, low=effect.low, high=effect.high,
        ))  # fmt: skip
    if effect.line not in scales.statement_lines:
        found.append(_line_problem(effect.line, f"{field}.line", scales, locate))
    try:
        cny_factor(effect)
    except UnitError:
        found.append(Problem.coded(
            locate(f"{field}.currency"), effect.currency, "climate_risks.currency_rate",
            field=field, currency=effect.currency,
        ))  # fmt: skip
    return found


def _line_problem(line: str, where: str, scales: Scales, locate: Locate) -> Problem:
    return Problem.coded(
        locate(where), line, "climate_risks.unknown_line", known=", ".join(scales.statement_lines)
    )


def cny_factor(effect: FinancialEffect) -> float:
    """CNY per unit of the effect's currency: the registry's factor for a CNY unit, else
    the rate the user gave (the registry holds no exchange rates on purpose).

    Raises:
        UnitError: a currency that is not CNY, given without a rate.
    """
    if effect.rate_to_cny is not None:
        return effect.rate_to_cny
    return conversion_factor(effect.currency, "CNY")


def effect_cny(effect: FinancialEffect) -> tuple[float, float]:
    """The range in CNY."""
    factor = cny_factor(effect)
    return effect.low * factor, effect.high * factor
