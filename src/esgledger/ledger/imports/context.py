"""What an import's rows are checked against, and how a failing row becomes a Problem."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from esgledger.catalog.registry import Catalog
from esgledger.errors import DEFAULT_LANGUAGE, Location, Phrase, Problem
from esgledger.periods import Period
from esgledger.units import UnitError, conversion_factor, unit_examples


@dataclass(frozen=True)
class ImportContext:
    """What rows are checked against: the ledger's entities, calendar, locks and catalog."""

    entities: frozenset[str]
    years: frozenset[int]
    locks: list[Period]
    catalog: Catalog
    # (entity, indicator, year) -> granularities already in the ledger, to refuse mixing
    # a yearly value with monthly values of the same figure.
    existing_granularity: dict[tuple[str, str, int], set[str]] = field(default_factory=dict)


def problems_at(
    rows: pl.DataFrame,
    file: str,
    column: str,
    value: str,
    code: str | Callable[[dict], str],
    params: Callable[[dict], dict[str, object]] = lambda row: {},
    *,
    in_value_cell: bool = True,
) -> list[Problem]:
    """One Problem per failing row, placed at its file, sheet, row and column.

    ``code`` names the catalogue text (``import.value_negative``), or says it per row; ``params``
    fills it in per row. A
    wide sheet's row holds many values, so a problem of the value sits in the value's cell
    (``cell_column``); ``in_value_cell=False`` keeps it at ``column`` (the unit, say).
    """
    found = []
    for row in rows.iter_rows(named=True):
        cell = row["cell_column"] if in_value_cell else None
        where = Location(file=file, sheet=row["sheet"], row=row["row"], column=cell or column)
        named = code(row) if callable(code) else code
        found.append(Problem.coded(where, clipped(row[value], 200), named, **params(row)))
    return found


def unit_mismatch(given: str, target: str) -> tuple[str, dict[str, object]]:
    """Why ``given`` cannot become ``target``: the catalogue code and its parameters."""
    try:
        conversion_factor(given, target)
    except UnitError as exc:
        if exc.code == "unit.gas_conditions":
            return "import.unit_gas_conditions", exc.params
        if exc.code == "unit.incompatible":
            return "import.unit_incompatible", exc.params
    return "import.unit_unknown", {"target": target, "examples": unit_examples(target)}


def clipped(text: str | None, length: int) -> str | None:
    """At most ``length`` characters of a user's text, so that a message stays readable."""
    if text is None or len(text) <= length:
        return text
    return f"{text[:length]}… ({len(text):,} characters)"


def suggestion(word: str | None, choices: frozenset[str] | list[str]) -> Phrase | str:
    """ " (did you mean 'SMELT'?)" as catalogue text, or "" when nothing is close."""
    close = difflib.get_close_matches(word or "", list(choices), n=1)
    return Phrase.of("import.did_you_mean", word=close[0]) if close else ""


def did_you_mean(word: str | None, choices: frozenset[str] | list[str]) -> str:
    found = suggestion(word, choices)
    return found.render(DEFAULT_LANGUAGE) if found else ""
