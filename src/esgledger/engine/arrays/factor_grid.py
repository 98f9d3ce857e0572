"""Factors over the grid: each factor a method asks for, as an (entity × period) array.

A factor changes only on a few dates and, for grid factors, by region. Looking it up once
per cell would ask the factor library millions of questions; here it is asked once per
stretch of dates over which nothing changes and per distinct (entity, region), and the
answers are spread over the grid. The caches live on the :class:`State` of one calculation.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from esgledger.engine.arrays.part_periods import (
    changes_inside_periods,
    first_and_last_days,
    part_period_note,
)
from esgledger.engine.errors import CalculationError
from esgledger.engine.lineage import FactorUse
from esgledger.errors import Phrase
from esgledger.factors.errors import FactorNotFoundError
from esgledger.factors.model import Factor
from esgledger.periods import Granularity
from esgledger.units import UnitError, conversion_factor

if TYPE_CHECKING:  # State holds these caches and calls in here: a type-only import
    from esgledger.engine.arrays.state import State

FALLBACK_YEARS = 5


_DAY = timedelta(days=1)


@cache
def lookup_dates(periods: tuple[str, ...]) -> tuple[date, ...]:
    """The day each period's factors are looked up on: its last day."""
    return tuple(last for _, last in first_and_last_days(periods))


def lookup_grid(
    state: State,
    key: str,
    unit: str,
    dataset: str | None,
    regional: bool,
    fallback: bool,
    indicator: str,
    optional: bool = False,
    reads: tuple[str, ...] | None = None,
) -> FactorUse:
    """The factor over the grid: one lookup per stretch of unchanged values and (entity, region).

    ``reads`` are the inputs of the method that asks (None: not a method): a note that the
    factor changes inside a year names the entities that reported one of them for that year.

    Columns whose dates fall between the same two change dates of ``key`` in the same year
    get the same answer (see ``FactorLibrary.change_dates``): a monthly grid of ten years
    needs about ten lookups per pair, not 120. Several methods asking for the same factor
    share one result. An ``optional`` factor is NaN, and used by no cell, where none is
    found; otherwise a cell without one is an error.
    """
    asked = (key, unit, dataset, regional, fallback, optional)
    if asked in state.factor_uses:
        return state.factor_uses[asked]
    unique, row_of_pair = _distinct_pairs(state, regional)
    dates = lookup_dates(state.grid.periods)
    stretch_of_col, first_cols = _stretches(state, state.library.change_dates(key))
    answers = [
        [
            _answer(state, (key, dates[col], pair, dataset, fallback), indicator, col, optional)
            for pair in unique
        ]
        for col in first_cols
    ]
    scale = np.array(
        [
            [_in_unit(f, unit, indicator, state.grid.periods[col]) for f, _ in row]
            for row, col in zip(answers, first_cols, strict=True)
        ]
    )
    notes = [
        [None if on is None else _stale_note(key, on, dates[col]) for _, on in row]
        for row, col in zip(answers, first_cols, strict=True)
    ]
    which, values = _over_grid(state, scale, stretch_of_col, row_of_pair, len(unique))
    note = None
    if any(n for row in notes for n in row):
        note = np.array(notes, dtype=object).reshape(-1)[which]
    choices = tuple(f for row in answers for f, _ in row)
    if None in choices:  # an optional factor not found: those cells used none
        which = np.where(np.array([f is None for f in choices])[which], -1, which)
    use = FactorUse(key, unit, values, choices, which, note)
    state.factor_uses[asked] = use
    for col, inside in changes_inside_periods(state, key):
        found = answers[stretch_of_col[col]]
        named = _entities_with_activity(state, reads, col, row_of_pair, len(unique))
        _note_change_inside(
            state, (key, dataset, fallback), indicator, col, inside, unique, found, named
        )
    return use


def _entities_with_activity(
    state: State, reads: tuple[str, ...] | None, col: int, row_of_pair: np.ndarray, pairs: int
) -> list[list[str | None]]:
    """Per lookup (entity, region), whom a note on column ``col`` concerns: the lookup's
    own wording (``[None]``) on a grid of years; on the grid of months, the entities
    that reported one of the method's ``reads`` for the whole year (none may).

    A year's column on the grid of months holds only what was reported for the whole
    year: an entity that reported its months never used the year's factor there, and a
    note that the factor changed within that year does not concern it.
    """
    if state.grid.granularity is Granularity.YEAR or reads is None:
        return [[None] for _ in range(pairs)]
    active = np.zeros(state.grid.shape[0], dtype=bool)
    for name in reads:
        active |= state.reported(name)[:, col]
    named: list[list[str | None]] = [[] for _ in range(pairs)]
    for row in np.flatnonzero(active):
        named[row_of_pair[row]].append(state.grid.entities[row])
    return named


def _note_change_inside(
    state: State,
    asked: tuple[str, str | None, bool],
    indicator: str,
    col: int,
    inside: list[date],
    pairs: list[tuple[str | None, str | None]],
    found: list[tuple[Factor | None, date | None]],
    named: list[list[str | None]],
) -> None:
    """Say so where the value that holds on the period's last day (``found``, per pair),
    used for all of it, differs from one that holds earlier in the period (or none did);
    for each of ``named`` (per pair; None: the pair's own wording)."""
    key, dataset, fallback = asked
    period = state.grid.periods[col]
    for (entity, region), (used, _), whom in zip(pairs, found, named, strict=True):
        for changed in inside if whom else ():
            try:
                earlier = _resolve(
                    state, key, changed - _DAY, (entity, region), dataset, fallback, indicator, col
                )[0]
            except CalculationError:
                earlier = None
            if used is None or earlier is None or earlier.value != used.value:
                state.diagnostics.extend(
                    part_period_note(indicator, key, period, changed, who or entity, region, used)
                    for who in whom
                )
                break


def _in_unit(factor: Factor | None, unit: str, indicator: str, period: str) -> float:
    """The factor's value in the unit the method asks for (NaN for an optional one not found)."""
    if factor is None:
        return np.nan
    try:
        return factor.value * conversion_factor(factor.unit, unit)
    except UnitError as exc:
        source = factor.origin or f"dataset {factor.dataset} {factor.version}"
        region = Phrase.of("calc.for_region", region=factor.region) if factor.region else ""
        raise CalculationError.coded(
            "calc.factor_unit",
            indicator=indicator,
            period=period,
            key=factor.key,
            region=region,
            source=source,
            given=factor.unit,
            unit=unit,
        ) from exc


def _answer(
    state: State,
    question: tuple[str, date, tuple[str | None, str | None], str | None, bool],
    indicator: str,
    col: int,
    optional: bool,
) -> tuple[Factor | None, date | None]:
    """The factor and the date it was found for, or (None, None) for an optional one."""
    if not optional:
        return _resolve(state, *question, indicator, col)
    if ("optional", question) not in state.resolved:  # a miss is remembered too
        try:
            found: tuple[Factor | None, date | None] = _resolve(state, *question, indicator, col)
        except CalculationError:
            found = None, None
        state.resolved[("optional", question)] = found
    return state.resolved[("optional", question)]


def _over_grid(
    state: State,
    scale: np.ndarray,
    stretch_of_col: np.ndarray,
    row_of_pair: np.ndarray,
    pairs: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Which answer each cell used, and its value: cell (row, col) used answer (stretch of
    col, pair of row), the answers numbered stretch by stretch. Both read-only: shared by
    every method that asks for this factor."""
    if pairs == 1:  # every row alike: one row of the grid, read as each of them
        which = np.broadcast_to(stretch_of_col, state.grid.shape)
        return which, np.broadcast_to(scale.reshape(-1)[stretch_of_col], state.grid.shape)
    which = stretch_of_col[None, :] * pairs + row_of_pair[:, None]
    values = scale.reshape(-1)[which]
    values.flags.writeable = False
    return which, values


def _stretches(state: State, changes: tuple[date, ...]) -> tuple[np.ndarray, list[int]]:
    """Per column, the number of its stretch (same year, between the same change dates);
    and the first column of each stretch. Factors with the same change dates share them."""
    if changes not in state.factor_stretches:
        stretches = [
            (on.year, bisect_right(changes, on)) for on in lookup_dates(state.grid.periods)
        ]
        first = {s: col for col, s in reversed(list(enumerate(stretches)))}
        numbers = {s: n for n, s in enumerate(first)}
        of_col = np.array([numbers[s] for s in stretches], dtype=np.int64)
        state.factor_stretches[changes] = of_col, list(first.values())
    return state.factor_stretches[changes]


def _distinct_pairs(
    state: State, regional: bool
) -> tuple[list[tuple[str | None, str | None]], np.ndarray]:
    """The distinct (entity, region) lookups and, per row, which of them it needs."""
    if regional in state.factor_pairs:  # the same for every factor: found once per state
        return state.factor_pairs[regional]
    regions = state.regions if regional else np.full(state.grid.shape[0], None, dtype=object)
    by_entity = state.library.has_entity_overrides
    pairs = [
        (code if by_entity else None, region)
        for code, region in zip(state.grid.entities, regions, strict=True)
    ]
    unique = list(dict.fromkeys(pairs))
    position = {pair: index for index, pair in enumerate(unique)}
    found = unique, np.array([position[pair] for pair in pairs], dtype=np.int64)
    state.factor_pairs[regional] = found
    return found


def _stale_note(key: str, used_on: date, on: date) -> str | None:
    if used_on.year == on.year:
        return None
    return f"{key} of {used_on.year} used for {on.year} (latest published)"


def _resolve(
    state: State,
    key: str,
    on: date,
    pair: tuple[str | None, str | None],
    dataset: str | None,
    fallback: bool,
    indicator: str,
    col: int,
) -> tuple[Factor, date]:
    """The factor for one (entity, region) on ``on``, or the newest earlier year if allowed."""
    seen = (key, on, pair, dataset, fallback)
    if seen not in state.resolved:
        state.resolved[seen] = _search(state, key, on, pair, dataset, fallback, indicator, col)
    return state.resolved[seen]


def _search(
    state: State,
    key: str,
    on: date,
    pair: tuple[str | None, str | None],
    dataset: str | None,
    fallback: bool,
    indicator: str,
    col: int,
) -> tuple[Factor, date]:
    entity, region = pair
    extra = [date(on.year - k, 12, 31) for k in range(1, FALLBACK_YEARS + 1)] if fallback else []
    for attempt in [on, *extra]:
        try:
            return state.library.get(
                key, on=attempt, region=region, dataset=dataset, entity=entity
            ), attempt
        except FactorNotFoundError as exc:
            # the message only: the exception would hold this frame, and so the whole
            # calculation, in a reference cycle until the garbage collector runs
            last = Phrase.of(exc.code, **exc.params) if exc.code else exc.message
    grid_hint = key.startswith("grid.") and not fallback
    raise CalculationError.coded(
        "calc.no_factor",
        indicator=indicator,
        period=state.grid.periods[col],
        key=key,
        dataset=dataset or Phrase.of("calc.any_dataset"),
        entity=Phrase.of("calc.for_entity", entity=entity) if entity else "",
        region=region or Phrase.of("calc.national"),
        detail=last,
        hint=Phrase.of("calc.latest_available") if grid_hint else "",
    )
