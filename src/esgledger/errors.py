"""One error base for the whole project.

Every error a user can cause is an :class:`EsgError` with ``kind=ErrorKind.USER``: the CLI
prints it as a short message and exits non-zero, the API maps it to a 4xx. Anything else
that escapes is a bug in esgledger and is reported as one, with a traceback for us.

Messages are public API: each says what was expected, what was received, where, and
what to do about it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class ErrorKind(Enum):
    USER = "user"
    BUG = "bug"


@dataclass(frozen=True)
class Location:
    """Where a problem sits in a user's input: file, sheet, row, column, or YAML line."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class EsgError(Exception):
    """Base of every error esgledger raises on purpose.

    Args:
        message: what went wrong and what to do about it, in one or two sentences.
        kind: USER when the input is at fault, BUG when esgledger is.
        location: where in the user's input the problem is, when there is such a place.
    """

    kind: ErrorKind = ErrorKind.USER

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind | None = None,
        location: Location | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.location = location

    def __str__(self) -> str:
        if self.location and str(self.location):
            return f"{self.location}: {self.message}"
        return self.message


class NotFoundError(EsgError):
    """A user named something (entity, indicator, snapshot) that does not exist."""


class ValidationFailed(EsgError):
    """Input was read completely and had problems; ``problems`` lists every one of them."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        lines = [self.message]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One bad row or field: where it is, what it held, what is wrong and how to fix it."""

    location: Location
    value: str | None
    reason: str
    fix: str

    def __str__(self) -> str:
        held = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.location}{held}: {self.reason}. {self.fix}"


def close_matches(written: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The known names nearest to ``written`` whatever its case (``smelt`` finds ``SMELT``,
    ``North`` finds ``north``), for a "did you mean" in a message."""
    by_lower = {name.lower(): name for name in known}
    matches = difflib.get_close_matches(written.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[match] for match in matches]
