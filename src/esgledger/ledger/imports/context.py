"""What an import's rows are checked against, and how a failing row becomes a Problem."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from esgledger.catalog.registry import Catalog
from esgledger.errors import Location, Problem
from esgledger.periods import Period


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
    reason: Callable[[dict], str],
    fix: Callable[[dict], str],
) -> list[Problem]:
    """One Problem per failing row, placed at its file, sheet, row and column."""
    found = []
    for row in rows.iter_rows(named=True):
        where = Location(
            file=file, sheet=row["sheet"], row=row["row"], column=row["cell_column"] or column
        )
        found.append(Problem(where, clipped(row[value], 200), clipped(reason(row), 500), fix(row)))
    return found


def clipped(text: str | None, length: int) -> str | None:
    """At most ``length`` characters of a user's text, so that a message stays readable."""
    if text is None or len(text) <= length:
        return text
    return f"{text[:length]}… ({len(text):,} characters)"


def did_you_mean(word: str | None, choices: frozenset[str] | list[str]) -> str:
    close = difflib.get_close_matches(word or "", list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
