"""Read a YAML declaration and turn pydantic's complaints into problems placed at a line.

The catalog's reader (:func:`esgledger.catalog.source.parse_file`) keeps the composed YAML
node beside the data; walking that node along a pydantic error path gives the line the
author wrote the offending field on. Targets and pathway scenarios are declared this
way; it lives beside the catalog reader it builds on so both can share it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from esgledger.catalog.source import parse_file
from esgledger.errors import Location, Problem, ValidationFailed

Model = TypeVar("Model", bound=BaseModel)


def read_model(path: Path, model: type[Model], what: str) -> tuple[Model, yaml.Node]:
    """Parse ``path`` and validate it as ``model``; every problem is reported at once.

    Raises:
        ValidationFailed: the file is missing, is not YAML, or does not fit ``model``.
    """
    if not path.exists():
        raise ValidationFailed(
            f"{path}: no such file",
            [Problem(Location(file=str(path)), None, "the file does not exist", f"Give {what}.")],
        )
    parsed = parse_file(path)
    if parsed.problems:
        raise ValidationFailed(f"{path}: not valid YAML; nothing was loaded", parsed.problems)
    if not isinstance(parsed.data, dict) or parsed.node is None:
        where = Location(file=str(path), line=1)
        fix = f"Start the file with the top-level fields of {what}."
        problem = Problem(where, None, "the top level is not a mapping of fields", fix)
        raise ValidationFailed(f"{path}: {what} expected", [problem])
    try:
        return model.model_validate(parsed.data), parsed.node
    except ValidationError as exc:
        problems = [_problem(path, parsed.node, parsed.data, error) for error in exc.errors()]
        raise ValidationFailed(
            f"{path}: {len(problems)} problem(s); nothing was loaded", problems
        ) from None


def line_of(node: yaml.Node, path: tuple[Any, ...]) -> int:
    """The line where the field at ``path`` (keys and list positions) is written.

    Stops at the deepest part of the path the file has, so a missing field points at the
    entry that lacks it.
    """
    current, line = node, node.start_mark.line + 1
    for part in path:
        if isinstance(current, yaml.MappingNode):
            found = next((pair for pair in current.value if pair[0].value == str(part)), None)
            if found is None:
                break
            line, current = found[0].start_mark.line + 1, found[1]
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(current.value):
                break
            current = current.value[part]
            line = current.start_mark.line + 1
        else:
            break
    return line


def _problem(path: Path, node: yaml.Node, data: Any, error: Any) -> Problem:
    loc = tuple(error["loc"])
    field = ".".join(str(part) for part in loc)
    given = error.get("input")
    shown = None if isinstance(given, dict | list) or given is None else str(given)
    reason = error["msg"]
    if error["type"] == "missing":
        reason = f"field {loc[-1]!r} is required"
    elif error["type"] == "extra_forbidden":
        reason = f"unknown field {loc[-1]!r}"
    where = Location(file=str(path), line=line_of(node, loc), column=field or None)
    return Problem(where, shown, reason, _fix(error["type"]))


def _fix(kind: str) -> str:
    fixes = {
        "missing": "Add the field.",
        "extra_forbidden": "Remove it or check its spelling (docs/targets-and-pathways.md).",
        "enum": "Use one of the values listed.",
        "literal_error": "Use one of the values listed.",
    }
    return fixes.get(kind, "Correct this field (docs/targets-and-pathways.md lists them).")
