"""Whether a user factor file reaches anything: its entities, its regions and its years.

An override scoped to an entity the organisation lacks, a factor for a region no entity has
(whether a dataset has it or not), and an override for a year the ledger does not report all
load and change nothing. Only the caller knows the organisation and the ledger's calendar,
so it passes them in as plain codes and years, and this package stays independent of both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace

from esgledger.errors import Joined, Location, Phrase, Problem, close_matches
from esgledger.factors.checks import where
from esgledger.factors.lookup import FactorLibrary
from esgledger.factors.model import Factor, FactorSet

_PROVINCE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")  # ISO 3166-2, as the shipped CN-NM


def unknown_override_entities(library: FactorLibrary, entity_codes: Iterable[str]) -> list[Problem]:
    """Every entity an override scope names that is not among ``entity_codes``.

    Call it once the organisation is loaded, with the code of every entity in it: a file
    scoped to ``entities: [BRIRRE]`` would otherwise load and apply to nothing.
    """
    codes = sorted(set(entity_codes))
    problems = []
    for item in library.sets:
        for entity in item.overrides.entities if item.overrides else ():
            if entity in codes:
                continue
            guess = _did_you_mean(entity, codes)
            problems.append(
                Problem.coded(
                    item.scope_at or Location(file=item.path),
                    entity,
                    "factor.reach.unknown_entity",
                    name=item.name,
                    entity=entity,
                    guess=guess,
                )
            )
    return problems


def unknown_regions(library: FactorLibrary, grid_regions: Iterable[str]) -> list[Problem]:
    """One problem per user file and region that no lookup can ask for.

    Lookups ask for an entity's grid region, so a user factor's region must be the
    ``grid_regions`` of some entity of the organisation or a region a shipped dataset
    has; any other (``nrth``, ``North China``) would leave the shipped value in force.
    """
    org = sorted(set(grid_regions))
    valid = {*org, *_shipped_regions(library)}
    unknown = _user_regions(library, lambda region: region not in valid)
    return [_unknown_region(factors, org, valid) for factors in unknown]


def unused_region_notes(library: FactorLibrary, grid_regions: Iterable[str]) -> list[Problem]:
    """One note per user file and region of a shipped dataset that no entity has.

    Only an entity's own grid region is looked up, so such a factor (``CN-NM`` when the
    entities are on ``north``) applies to nothing. It is noted, not refused: an entity may
    be given that grid region later. Regions :func:`unknown_regions` refuses are not noted.
    """
    org = sorted(set(grid_regions))
    shipped = _shipped_regions(library)
    unused = _user_regions(library, lambda region: region in shipped and region not in org)
    return [_unused_region(factors, org) for factors in unused]


def unreported_year_notes(library: FactorLibrary, calendar: Collection[int]) -> list[Problem]:
    """One note per user file whose override years include years outside ``calendar``.

    ``calendar`` is the ledger's reporting years: an override for another year changes no
    computed value, though it may be meant for a year the ledger will open later.
    """
    years = Joined(tuple(map(str, sorted(calendar)))) if calendar else Phrase.of("run.none_yet")
    notes = []
    for item in _user_sets(library):
        scoped = item.overrides.years if item.overrides else ()
        outside = [year for year in scoped if year not in calendar]
        if not outside:
            continue
        shown = ", ".join(map(str, outside))
        at = item.scope_at or Location(file=item.path)
        notes.append(
            Problem.coded(
                replace(at, column="years"),
                shown,
                "factor.reach.year_outside",
                name=item.name,
                shown=shown,
                years=years,
                first=outside[0],
            )
        )
    return notes


def _user_sets(library: FactorLibrary) -> list[FactorSet]:
    return [item for item in library.sets if item.is_override]


def _shipped_regions(library: FactorLibrary) -> set[str]:
    return {f.region for s in library.sets if not s.is_override for f in s.factors if f.region}


def _user_regions(library: FactorLibrary, keep: Callable[[str], bool]) -> list[list[Factor]]:
    """User factors whose region ``keep`` accepts, grouped by file and region."""
    found: dict[tuple[str | None, str], list[Factor]] = {}
    for item in _user_sets(library):
        for factor in item.factors:
            if factor.region is not None and keep(factor.region):
                found.setdefault((item.path, factor.region), []).append(factor)
    return list(found.values())


def _how_many(factors: list[Factor]) -> Phrase | str:
    count = len(factors)
    return Phrase.of("factor.reach.how_many", count=count) if count > 1 else ""


def _unknown_region(factors: list[Factor], org: list[str], valid: set[str]) -> Problem:
    first, region = factors[0], str(factors[0].region)
    return Problem.coded(
        replace(where(first), column="region"),
        region,
        "factor.reach.unknown_region",
        region=region,
        how_many=_how_many(factors),
        guess=_did_you_mean(region, sorted(valid)),
        regions=_regions_in_brief(org, valid),
    )


def _unused_region(factors: list[Factor], org: list[str]) -> Problem:
    first, region = factors[0], str(factors[0].region)
    regions = Joined(tuple(org)) if org else Phrase.of("factor.reach.no_grid_region")
    return Problem.coded(
        replace(where(first), column="region"),
        region,
        "factor.reach.unused_region",
        region=region,
        how_many=_how_many(factors),
        regions=regions,
    )


def _regions_in_brief(org: list[str], valid: set[str]) -> Phrase:
    """``one of central, east, … (the organisation's entities have north), or a province code``."""
    provinces = sorted(r for r in valid if _PROVINCE.match(r))
    named = sorted(r for r in valid if not _PROVINCE.match(r))
    which = (
        Phrase.of("factor.reach.one_of", named=Joined(tuple(named)))
        if named
        else Phrase.of("factor.reach.a_region")
    )
    of_org = Phrase.of("factor.reach.of_organisation", org=Joined(tuple(org))) if org else ""
    among = (
        Phrase.of(
            "factor.reach.provinces", count=len(provinces), first=provinces[0], last=provinces[-1]
        )
        if provinces
        else ""
    )
    return Phrase.of("factor.reach.regions", which=which, of_org=of_org, provinces=among)


def _did_you_mean(written: str, known: list[str]) -> Phrase | str:
    """``Did you mean 'north'? `` for ``nrth`` or ``North``, else nothing."""
    close = close_matches(written, known)
    return Phrase.of("factor.guess", known=close[0]) if close else ""
