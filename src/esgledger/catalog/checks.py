"""Checks across indicators, run once every file has been read.

One indicator can be valid alone and wrong in the catalog: its id already taken, a ratio
over an id nobody declared, a sum of tonnes into a unit of energy, a framework code that
does not exist, or a loop of definitions. Each check returns problems located at the
line of the offending field, so the loader reports them with the per-entry problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import pint

from esgledger.catalog.errors import problem
from esgledger.catalog.graph import find_cycle
from esgledger.catalog.model import FrameworkItem, Indicator
from esgledger.catalog.source import Entry
from esgledger.errors import Joined, Phrase, Problem
from esgledger.units import Q_, parse_unit

Declared = Sequence[tuple[Entry, Indicator]]
Named = Sequence[tuple[Entry, str]]


def check_catalog(
    declared: Declared, named: Named, items: Mapping[str, Sequence[FrameworkItem]]
) -> list[Problem]:
    """Every cross-indicator problem.

    Args:
        declared: the entries that validated, with their indicators, in file order.
        named: every entry that has an id, valid or not: an id an author wrote is
            declared even while its entry still has other problems.
        items: the framework items, per framework.
    """
    problems = check_duplicates(named)
    unique: dict[str, tuple[Entry, Indicator]] = {}
    for entry, ind in declared:
        unique.setdefault(ind.id, (entry, ind))
    problems += check_references(declared, [name for _, name in named])
    problems += check_units(declared, unique)
    problems += check_framework_codes(declared, items)
    problems += check_scopes(declared, unique)
    if not problems:  # a cycle search over dangling references would only add noise
        problems += check_cycles(unique)
    return problems


def check_duplicates(named: Named) -> list[Problem]:
    """An id declared twice: name both places, since either may be the one to change."""
    first: dict[str, Entry] = {}
    problems = []
    for entry, name in named:
        if name in first:
            first_at = first[name].location("id")
            problems.append(
                _at(entry, "id", "catalog.check.declared_twice", id=name, first=first_at)
            )
        else:
            first.setdefault(name, entry)
    return problems


def check_references(declared: Declared, names: Sequence[str]) -> list[Problem]:
    """A derived indicator computed from an id that no file declares."""
    known = set(names)
    problems = []
    for entry, ind in declared:
        for dep in ind.dependencies:
            if dep not in known:
                close = difflib.get_close_matches(dep, sorted(known), n=2, cutoff=0.7)
                problems.append(
                    _at(
                        entry,
                        ind.recipe,
                        "catalog.check.no_reference",
                        id=ind.id,
                        field=ind.recipe,
                        missing=dep,
                        guess=_guess(close),
                    )
                )
    return problems


def check_scopes(declared: Declared, known: Mapping[str, tuple[Entry, Indicator]]) -> list[Problem]:
    """An indicator computed from a scoped one must have that scope: the engine leaves a
    scoped indicator empty outside its boundary, so anything built on it elsewhere is empty."""
    problems = []
    for entry, ind in declared:
        for dep in ind.dependencies:
            scope = known[dep][1].scope if dep in known else None
            if scope is not None and ind.scope != scope:
                code = "catalog.check.scope"
                problems.append(_at(entry, "scope", code, id=ind.id, source=dep, scope=scope))
    return problems


def check_units(declared: Declared, known: Mapping[str, tuple[Entry, Indicator]]) -> list[Problem]:
    """Sums and ratios must convert into the indicator's unit (tonnes never add to MWh)."""
    units = {key: indicator.unit for key, (_, indicator) in known.items()}
    problems = []
    for entry, ind in declared:
        bad = _unit_mismatches(ind, units)
        if bad:
            problems.append(
                _at(
                    entry,
                    ind.recipe,
                    "catalog.check.units",
                    id=ind.id,
                    field=ind.recipe,
                    terms=Joined(tuple(bad)),
                    unit=ind.unit,
                )
            )
    return problems


def _unit_mismatches(ind: Indicator, units: Mapping[str, str]) -> list[str]:
    """The terms of a sum or ratio whose unit does not convert into ``ind.unit``."""
    if ind.adds is not None:
        terms = [(dep, parse_unit(units[dep]), units[dep]) for dep in ind.adds if dep in units]
    elif ind.ratio is not None and {ind.ratio.numerator, ind.ratio.denominator} <= set(units):
        top, bottom = ind.ratio.numerator, ind.ratio.denominator
        quotient = parse_unit(units[top]) / parse_unit(units[bottom])
        terms = [(f"{top} / {bottom}", quotient, f"{units[top]} / {units[bottom]}")]
    else:
        return []
    return [f"{name} ({text})" for name, unit, text in terms if not _converts(unit, ind.unit)]


def check_framework_codes(
    declared: Declared, items: Mapping[str, Sequence[FrameworkItem]]
) -> list[Problem]:
    """A framework code must be an item of that framework's list, or the index breaks."""
    codes = {name: {item.code for item in framework} for name, framework in items.items()}
    problems = []
    for entry, ind in declared:
        for framework, code in ind.frameworks.pairs():
            if framework in codes and code not in codes[framework]:
                close = difflib.get_close_matches(code, sorted(codes[framework]), n=2)
                problems.append(
                    _at(
                        entry,
                        "frameworks",
                        "catalog.check.framework_code",
                        id=ind.id,
                        framework=framework,
                        item=code,
                        guess=_guess(close),
                    )
                )
    return problems


def check_cycles(known: Mapping[str, tuple[Entry, Indicator]]) -> list[Problem]:
    """Derived indicators that depend on themselves through others cannot be computed."""
    cycle = find_cycle({key: ind.dependencies for key, (_, ind) in known.items()})
    if cycle is None:
        return []
    entry, ind = known[cycle[0]]
    return [_at(entry, ind.recipe, "catalog.check.cycle", id=ind.id, cycle=" -> ".join(cycle))]


def _converts(unit: pint.Unit, target: str) -> bool:
    try:
        Q_(1.0, unit).to(parse_unit(target))
    except pint.errors.DimensionalityError:
        return False
    return True


def _at(entry: Entry, field: str | None, code: str, /, **params: object) -> Problem:
    return problem(entry.location(field), code, **params)


def _guess(close: list[str]) -> Phrase | str:
    """``Did you mean a or b? `` for the ids or codes nearest to a wrong one, else nothing."""
    return Phrase.of("catalog.guess", names=tuple(close)) if close else ""
