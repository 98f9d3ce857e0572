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
from esgledger.errors import Location, Phrase, Problem, ValidationFailed
from esgledger.field_errors import field_problem

Model = TypeVar("Model", bound=BaseModel)


def read_model(path: Path, model: type[Model], what: str) -> tuple[Model, yaml.Node]:
    """Parse ``path`` and validate it as ``model``; every problem is reported at once.

    ``what`` is the code of the phrase naming the kind of file (``declaration.targets``).

    Raises:
        ValidationFailed: the file is missing, is not YAML, or does not fit ``model``.
    """
    kind = Phrase.of(what)
    if not path.exists():
        missing = Problem.coded(Location(file=str(path)), None, "declaration.no_file", what=kind)
        raise ValidationFailed.refusing([missing], "declaration.no_file_head", file=path)
    parsed = parse_file(path)
    if parsed.problems:
        raise ValidationFailed.refusing(parsed.problems, "declaration.not_yaml", file=path)
    if not isinstance(parsed.data, dict) or parsed.node is None:
        where = Location(file=str(path), line=1)
        problem = Problem.coded(where, None, "declaration.not_mapping", what=kind)
        raise ValidationFailed.refusing([problem], "declaration.expected", file=path, what=kind)
    try:
        return model.model_validate(parsed.data), parsed.node
    except ValidationError as exc:
        problems = [_problem(path, parsed.node, error) for error in exc.errors()]
        raise ValidationFailed.refusing(
            problems, "load.problems", file=path, count=len(problems)
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


def _problem(path: Path, node: yaml.Node, error: Any) -> Problem:
    loc = tuple(error["loc"])
    field = ".".join(str(part) for part in loc)
    given = error.get("input")
    shown = None if isinstance(given, dict | list) or given is None else str(given)
    where = Location(file=str(path), line=line_of(node, loc), column=field or None)
    named = str(loc[-1]) if error["type"] in ("missing", "extra_forbidden") and loc else field
    return field_problem(where, error, shown, field=named)
