"""Check every row of an import at once and collect every problem found.

A file with any problem is rejected whole by the caller; this module only finds the
problems, in the order of the file.
"""

from __future__ import annotations

import polars as pl

from esgledger.errors import Problem
from esgledger.ledger.imports.checks import CHECKS
from esgledger.ledger.imports.context import ImportContext
from esgledger.ledger.imports.resolve import resolve


def validate_rows(
    frame: pl.DataFrame, context: ImportContext, file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Resolve periods, indicators, values and units; return the rows and all problems."""
    frame = resolve(frame, context.catalog)
    problems = []
    for check in CHECKS:
        problems.extend(check(frame, context, file))
    problems.sort(
        key=lambda p: (p.location.sheet or "", p.location.row or 0, p.location.column or "")
    )
    return frame, problems
