"""The one error the catalog raises about its YAML files."""

from __future__ import annotations

from esgledger.errors import Location, Problem, ValidationFailed


class CatalogError(ValidationFailed):
    """The indicator catalog (shipped files or a company's extra file) has problems.

    Every problem names the file, the YAML line, the indicator and field, what was expected
    and what to do. The loader reports all problems of all files at once and loads nothing,
    so an author fixes the whole file in one pass.
    """

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> CatalogError:
        if len(problems) == 1:
            return cls.refusing(problems, "catalog.refused_one")
        return cls.refusing(problems, "catalog.refused", count=len(problems))


def problem(
    location: Location, code: str, /, value: str | None = None, **params: object
) -> Problem:
    """A catalog problem: the catalogue's ``<code>.reason`` and ``<code>.fix``."""
    return Problem.coded(location, value, code, **params)
