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
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        return cls(
            f"the indicator catalog has {count} and was not loaded; "
            "fix each one at the file and line given",
            problems,
        )


def problem(location: Location, reason: str, fix: str, value: str | None = None) -> Problem:
    """A catalog problem; the fix is a sentence of its own, so it starts with a capital."""
    return Problem(location=location, value=value, reason=reason, fix=fix[:1].upper() + fix[1:])
