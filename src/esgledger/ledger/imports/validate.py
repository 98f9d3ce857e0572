"""Check every row of an import at once and collect every problem found.

A file with any problem is rejected whole: :func:`checked_rows` raises one
:class:`ImportRejected`. Its text starts with a summary (rows to fix, kinds of problem),
then lists the problems grouped: the same problem on many rows (every row of a locked
year, say) is one line with the count and the rows' range, so that a file of a hundred
thousand bad rows gets a short, readable answer rather than a message of hundreds of
megabytes. ``problems`` keeps the first ones one by one, for an API client or a form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from esgledger.errors import DEFAULT_LANGUAGE, Problem, ValidationFailed, render
from esgledger.ledger.imports.checks import CHECKS, Check
from esgledger.ledger.imports.context import ImportContext
from esgledger.ledger.imports.resolve import resolve


@dataclass(frozen=True)
class ProblemGroup:
    """One problem found on ``rows``: same rule, parameters, file, sheet and column."""

    first: Problem
    rows: tuple[int, ...]
    values: frozenset[str | None]

    def render(self, lang: str) -> str:
        if len(self.rows) == 1:
            return self.first.render(lang)
        span = render(
            "location.rows", lang, first=min(self.rows), last=max(self.rows), count=len(self.rows)
        )
        return self.first.render(lang, rows=span, show_value=len(self.values) == 1)


def grouped(problems: list[Problem]) -> list[ProblemGroup]:
    """Identical problems of many rows as one group each, in the order they first appear."""
    members: dict[tuple, list[Problem]] = {}
    for problem in problems:
        where = problem.location
        said = (problem.code, tuple(problem.params.items())) if problem.code else problem.reason
        key = (said, problem.fix, where.file, where.sheet, where.column)
        members.setdefault(key, []).append(problem)
    return [
        ProblemGroup(
            same[0], tuple(p.location.row or 0 for p in same), frozenset(p.value for p in same)
        )
        for same in members.values()
    ]


class ImportRejected(ValidationFailed):
    """A file with problems; nothing of it was imported.

    ``problems`` holds the first ones in file order; ``omitted`` counts the others by kind;
    ``groups`` holds the first groups of identical problems (see :func:`grouped`) and
    ``groups_omitted`` counts the groups left out; ``summary`` fills ``import.summary``.
    """

    def __init__(
        self,
        problems: list[Problem],
        omitted: dict[str, int],
        summary: dict[str, object],
        groups: list[ProblemGroup],
        groups_omitted: int,
    ) -> None:
        self.problems = problems  # the headline counts them before the base class keeps them
        self.omitted = omitted
        self.summary = summary
        self.groups = groups
        self.groups_omitted = groups_omitted
        super().__init__(self.text(DEFAULT_LANGUAGE), problems)

    def text(self, lang: str) -> str:
        """The summary, and the kinds of problem not in ``problems`` (an API's message)."""
        text = render("import.summary", lang, **self.summary)
        if self.omitted:
            kinds = ", ".join(
                f"{render('import.kind.' + kind.replace(' ', '_'), lang)} ({count:,})"
                for kind, count in Counter(self.omitted).most_common()
            )
            more = sum(self.omitted.values())
            text += render(
                "import.omitted", lang, listed=len(self.problems), more=more, kinds=kinds
            )
        return text

    def lines(self, lang: str) -> list[str]:
        """The summary first, then one line per group of identical problems."""
        lines = [render("import.summary", lang, **self.summary)]
        lines += [group.render(lang) for group in self.groups]
        if self.groups_omitted:
            lines.append(render("import.groups_omitted", lang, more=self.groups_omitted))
        return lines

    def render(self, lang: str) -> str:
        summary, *details = self.lines(lang)
        return "\n".join([summary, *(f"  - {line}" for line in details)])


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
    summary = {
        "file": file,
        "problems": len(found),
        "rows": frame.height,
        "bad_rows": len({(p.location.sheet, p.location.row) for _kind, p in found}),
        "kinds": len({kind for kind, _problem in found}),
    }
    groups = grouped([problem for _kind, problem in found])
    raise ImportRejected(
        [problem for _kind, problem in found[:max_listed]],
        dict(Counter(kind for kind, _problem in found[max_listed:])),
        summary,
        groups[:max_listed],
        max(len(groups) - max_listed, 0),
    )


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
