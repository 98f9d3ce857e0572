"""Load a targets file: shape checked by pydantic, meaning checked against the catalog.

Every problem of the file is collected (wrong field, unknown indicator, a cap on a rate,
an unconvertible unit, an id used twice) and reported together with its line, so that an
author fixes the whole file in one pass; nothing is loaded while one remains.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from esgledger.catalog.declarations import line_of, read_model
from esgledger.catalog.registry import Catalog
from esgledger.errors import Location, Phrase, Problem, ValidationFailed
from esgledger.targets.model import Target, TargetFile, TargetType
from esgledger.units import UnitError, conversion_factor


def load_targets(path: Path, catalog: Catalog) -> TargetFile:
    """The targets of ``path`` with their values in the unit of their indicator.

    Raises:
        ValidationFailed: the file has problems; each names its line and what to do.
    """
    declared, node = read_model(path, TargetFile, "declaration.targets")
    problems: list[Problem] = []
    converted: list[Target] = []
    seen: dict[str, int] = {}
    for position, target in enumerate(declared.targets):
        where = _Where(path, node, position)
        if target.id in seen:
            first = Location(line=seen[target.id])
            problems.append(where.problem("id", target.id, "target.id_twice", first=first))
        seen.setdefault(target.id, where.line("id"))
        found = check_target(target, catalog, where)
        problems.extend(found)
        if not found:
            converted.append(in_indicator_unit(target, catalog))
    if problems:
        raise ValidationFailed.refusing(problems, "load.problems", file=path, count=len(problems))
    return declared.model_copy(update={"targets": tuple(converted)})


class _Where:
    """Locations inside one target entry of the file."""

    def __init__(self, path: Path, node: yaml.Node, position: int) -> None:
        self.path, self.node, self.position = path, node, position

    def line(self, field: str) -> int:
        return line_of(self.node, ("targets", self.position, field))

    def problem(self, field: str, value: object, code: str, **params: object) -> Problem:
        location = Location(file=str(self.path), line=self.line(field), column=field)
        return Problem.coded(location, None if value is None else str(value), code, **params)


def check_target(target: Target, catalog: Catalog, where: _Where) -> list[Problem]:
    """What the catalog says is wrong with ``target`` (empty when nothing is)."""
    if target.indicator not in catalog:
        close = difflib.get_close_matches(target.indicator, list(catalog.ids()), n=3, cutoff=0.6)
        hint = Phrase.of("target.did_you_mean", ids=", ".join(close)) if close else ""
        hint = hint or Phrase.of("target.ids_in_catalog")
        return [where.problem("indicator", target.indicator, "target.no_indicator", hint=hint)]
    indicator = catalog.get(target.indicator)
    problems = []
    if target.type is TargetType.INTENSITY_CAP and indicator.ratio is None:
        problems.append(
            where.problem(
                "type",
                target.type.value,
                "target.not_intensity",
                indicator=indicator.id,
            )
        )
    if target.type is TargetType.ABSOLUTE_CAP and indicator.quantity_type != "flow":
        problems.append(
            where.problem(
                "type",
                target.type.value,
                "target.not_a_total",  # quantity_type is stock or flow
                indicator=indicator.id,
            )
        )
    if indicator.scope is not None and target.scope != indicator.scope:
        problems.append(
            where.problem(
                "scope",
                target.scope,
                "target.scope_only",
                indicator=indicator.id,
                scope=indicator.scope,
            )
        )
    if target.unit and not target.is_change:
        try:
            conversion_factor(target.unit, indicator.unit)
        except UnitError as exc:
            detail = Phrase.of(exc.code, **exc.params) if exc.code else exc.message
            problems.append(where.problem("unit", target.unit, "target.unit", detail=detail))
    return problems


def in_indicator_unit(target: Target, catalog: Catalog) -> Target:
    """The target with its levels converted into the indicator's unit (changes stay in %)."""
    unit = catalog.get(target.indicator).unit
    if target.is_change:
        return target.model_copy(update={"unit": "%"})
    factor = conversion_factor(target.unit, unit) if target.unit else 1.0
    base = None if target.base_value is None else target.base_value * factor
    return target.model_copy(
        update={"unit": unit, "target_value": target.target_value * factor, "base_value": base}
    )
