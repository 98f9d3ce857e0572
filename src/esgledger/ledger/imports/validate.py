"""Check every row of an import at once and collect every problem found.

A file with any problem is rejected whole: :func:`checked_rows` raises one
:class:`ImportRejected` listing the first problems in the order of the file and counting
the rest by kind, so that a file of a hundred thousand bad rows gets a short, readable
answer rather than a message of hundreds of megabytes.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from esgledger.errors import Problem, ValidationFailed
from esgledger.ledger.imports.checks import CHECKS, Check
from esgledger.ledger.imports.context import ImportContext
from esgledger.ledger.imports.resolve import resolve


class ImportRejected(ValidationFailed):
    """A file with problems; nothing of it was imported.

    ``problems`` holds the first ones in file order; ``omitted`` counts the others by kind.
    """

    def __init__(
        self, message: str, problems: list[Problem], omitted: dict[str, int] | None = None
    ) -> None:
        super().__init__(message, problems)
        self.omitted = omitted or {}


def checked_rows(
    frame: pl.DataFrame, context: ImportContext, file: str, max_listed: int
) -> pl.DataFrame:
    """The resolved rows when every one is valid.

    Raises:
        ImportRejected: with the first ``max_listed`` problems and the rest counted by kind.
    """
    rows, found = _found(frame, context, file)
    if not found:
        return rows
    omitted = Counter(kind for kind, _problem in found[max_listed:])
    message = f"{file}: {len(found):,} problem(s) in {frame.height:,} row(s); nothing was imported"
    if omitted:
        kinds = ", ".join(f"{kind} ({count:,})" for kind, count in omitted.most_common())
        message += (
            f". The first {max_listed:,} are listed; and {len(found) - max_listed:,} more "
            f"problems of these kinds: {kinds}"
        )
    listed = [problem for _kind, problem in found[:max_listed]]
    raise ImportRejected(message, listed, dict(omitted))


def _found(
    frame: pl.DataFrame, context: ImportContext, file: str
) -> tuple[pl.DataFrame, list[tuple[str, Problem]]]:
    frame = resolve(frame, context.catalog)
    found = [(_kind(check), p) for check in CHECKS for p in check(frame, context, file)]
    found.sort(
        key=lambda kp: (
            kp[1].location.sheet or "",
            kp[1].location.row or 0,
            kp[1].location.column or "",
        )
    )
    return frame, found


def _kind(check: Check) -> str:
    """A check's name as a reader says it: ``unknown_entity`` -> ``unknown entity``."""
    return check.__name__.replace("_", " ")
