"""One error base for the whole project.

Every error a user can cause is an :class:`EsgError` with ``kind=ErrorKind.USER``: the CLI
prints it as a short message and exits non-zero, the API maps it to a 4xx. Anything else
that escapes is a bug in esgledger and is reported as one, with a traceback for us.

Messages are public API: each says what was expected, what was received, where, and
what to do about it. A message with a stable ``code`` (``import.unit_incompatible``) and
its ``params`` is text in a catalogue (``errors_text/{en,zh}.yaml``), so that the same
problem reads in English on the command line and in Chinese on a Chinese page.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Self

import yaml

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "lang"  # the language a user chose on the pages, sent with every request
TEXTS_DIR = Path(__file__).with_name("errors_text")


class ErrorKind(Enum):
    USER = "user"
    BUG = "bug"


@lru_cache(maxsize=len(LANGUAGES))
def texts(lang: str) -> dict[str, str]:
    """The catalogue of one language as flat ``code -> text`` (nested YAML keys joined by dots)."""
    table: dict[str, str] = {}
    # shared texts, then each capability's own (errors_text/<capability>/{lang}.yaml)
    for path in (TEXTS_DIR / f"{lang}.yaml", *sorted(TEXTS_DIR.glob(f"*/{lang}.yaml"))):
        with path.open(encoding="utf-8") as handle:
            for code, text in _flat(yaml.safe_load(handle) or {}):
                if code in table:
                    raise KeyError(f"error text {code!r} is defined twice (again in {path})")
                table[code] = text
    return table


def _flat(tree: Mapping, prefix: str = "") -> Iterable[tuple[str, str]]:
    for key, value in tree.items():
        if isinstance(value, Mapping):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


@dataclass(frozen=True)
class Phrase:
    """A piece of a message that is itself catalogue text (a unit's kind, "did you mean")."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Phrase:
        return cls(code, tuple(params.items()))

    def render(self, lang: str) -> str:
        return render(self.code, lang, **dict(self.params))


def request_language(cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: the one chosen on the pages, else its Accept-Language."""
    return cookie if cookie in LANGUAGES else accepted_language(accept_language)


def accepted_language(accept_language: str | None) -> str:
    """The catalogue language for an HTTP Accept-Language header (its first choice)."""
    first = (accept_language or "").lower().split(",")[0].strip()
    return "zh" if first.startswith("zh") else DEFAULT_LANGUAGE


def render(code: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text of ``code`` in ``lang`` (English when the language lacks it), filled in.

    Parameters that are :class:`Phrase` are rendered in the same language first; a tuple
    is a list of alternatives ("m3 or 10^4 m3"), a list one of clauses ("a; b").
    """
    text = texts(lang).get(code) or texts(DEFAULT_LANGUAGE)[code]
    return text.format(**{name: _filled(value, lang) for name, value in params.items()})


@dataclass(frozen=True)
class Joined:
    """Pieces of a message joined by the catalogue's ``separator`` ("a and b", "甲和乙")."""

    items: tuple[object, ...]
    separator: str = "list.comma"

    def render(self, lang: str) -> str:
        return render(self.separator, lang).join(str(_filled(item, lang)) for item in self.items)


def _filled(value: object, lang: str) -> object:
    if isinstance(value, Phrase | Location | Joined):
        return value.render(lang)
    if isinstance(value, tuple):
        return render("list.or", lang).join(str(item) for item in value)
    if isinstance(value, list):  # sentences of their own, one after the other
        return render("list.sentences", lang).join(str(_filled(item, lang)) for item in value)
    return value


@dataclass(frozen=True)
class Location:
    """Where a problem sits in a user's input: file, sheet, row, column, or YAML line."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def render(self, lang: str, rows: str | None = None) -> str:
        """The place in ``lang``; ``rows`` replaces the row by a range ("rows 2-9 (8 rows)")."""
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(render("location.sheet", lang, sheet=self.sheet))
        if rows is not None:
            parts.append(rows)
        elif self.row is not None:
            parts.append(render("location.row", lang, row=self.row))
        if self.line is not None:
            parts.append(render("location.line", lang, line=self.line))
        if self.column:
            parts.append(render("location.column", lang, column=self.column))
        return render("location.separator", lang).join(parts)


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
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.location = location
        self.code = code
        self.params = dict(params or {})

    @classmethod
    def coded(cls, code: str, /, *, location: Location | None = None, **params: object) -> Self:
        """The error whose text is the catalogue's ``code``; its English is the message."""
        return cls(
            render(code, DEFAULT_LANGUAGE, **params), code=code, params=params, location=location
        )

    def __str__(self) -> str:
        if self.location and str(self.location):
            return f"{self.location}: {self.message}"
        return self.message

    def text(self, lang: str) -> str:
        """The message in ``lang``: its catalogue text when it has a code, else as written."""
        return render(self.code, lang, **self.params) if self.code else self.message

    def render(self, lang: str) -> str:
        """The whole error in ``lang``, with its place when it has one."""
        if self.location and str(self.location):
            return render(
                "problem.at", lang, where=self.location.render(lang), text=self.text(lang)
            )
        return self.text(lang)


class ServiceUnavailable(EsgError):
    """A service esgledger relies on (the job queue's Redis, say) cannot be reached.

    Neither the user's input nor a bug: starting the service, or trying again later, helps;
    the API answers 503.
    """


class NotFoundError(EsgError):
    """A user named something (entity, indicator, snapshot) that does not exist."""


class ValidationFailed(EsgError):
    """Input was read completely and had problems; ``problems`` lists every one of them."""

    def __init__(
        self,
        message: str,
        problems: list[Problem],
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.problems = problems

    @classmethod
    def refusing(cls, problems: list[Problem], code: str, /, **params: object) -> Self:
        """The error listing ``problems`` under the catalogue's ``code`` as its headline."""
        return cls(render(code, DEFAULT_LANGUAGE, **params), problems, code=code, params=params)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def render(self, lang: str) -> str:
        lines = [super().render(lang)]
        lines.extend(f"  - {problem.render(lang)}" for problem in self.problems)
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One bad row or field: where it is, what it held, what is wrong and how to fix it."""

    location: Location
    value: str | None
    reason: str
    fix: str
    code: str | None = None
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def coded(cls, location: Location, value: str | None, code: str, **params: object) -> Problem:
        """A problem whose reason and fix are the catalogue's ``<code>.reason`` and ``.fix``."""
        return cls(
            location,
            value,
            render(f"{code}.reason", DEFAULT_LANGUAGE, **params),
            render(f"{code}.fix", DEFAULT_LANGUAGE, **params),
            code,
            params,
        )

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def explained(self, lang: str) -> str:
        """What is wrong and how to fix it, without the place (a form shows it by the field)."""
        if self.code is None:
            return f"{self.reason}. {self.fix}"
        reason = render(f"{self.code}.reason", lang, **self.params)
        fix = render(f"{self.code}.fix", lang, **self.params)
        return render("problem.explained", lang, reason=reason, fix=fix)

    def render(self, lang: str, rows: str | None = None, show_value: bool = True) -> str:
        """The whole problem in ``lang``: place, value held, what is wrong, the fix."""
        held = show_value and self.value not in (None, "")
        where = self.location.render(lang, rows)
        if held:
            where += render("problem.held", lang, value=self.value)
        return render("problem.at", lang, where=where, text=self.explained(lang))


def close_matches(written: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The known names nearest to ``written`` whatever its case (``smelt`` finds ``SMELT``,
    ``North`` finds ``north``), for a "did you mean" in a message."""
    by_lower = {name.lower(): name for name in known}
    matches = difflib.get_close_matches(written.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[match] for match in matches]
