"""Read catalog YAML files keeping the line of every entry and field.

Error messages must point at a line, so the files are composed into YAML nodes (which
carry marks) and constructed into plain Python values from the same nodes. Problems in
the file's shape (syntax, top level not a list, an entry that is not a mapping, a field
given twice) are returned as :class:`~esgledger.errors.Problem` values, never raised, so
the loader can report every file's problems together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from esgledger.catalog.errors import problem
from esgledger.errors import Location, Phrase, Problem

# libyaml's loader is ~10x faster and keeps the same marks; fall back where it is not built.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One item of a YAML list with the lines where it and each of its fields start."""

    file: str
    line: int
    data: Any
    field_lines: dict[str, int] = field(default_factory=dict)

    def location(self, field_name: str | None = None) -> Location:
        """Where ``field_name`` is written (the entry's first line if it is missing)."""
        top = (field_name or "").split(".")[0]
        return Location(file=self.file, line=self.field_lines.get(top, self.line))


@dataclass
class ParsedFile:
    """What a file held: its top-level value and node, or the problems that stopped it."""

    data: Any = None
    node: yaml.Node | None = None
    problems: list[Problem] = field(default_factory=list)


def parse_file(path: Path) -> ParsedFile:
    """Compose and construct one YAML file; syntax errors become a located problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        unread = _problem(str(path), None, "catalog.file.unreadable", detail=exc.strerror)
        return ParsedFile(problems=[unread])
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        context: Phrase | str = ""
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            at = exc.context_mark.line + 1
            context = Phrase.of("catalog.file.context", context=exc.context, line=at)
        code = "catalog.file.not_yaml"
        broken = _problem(str(path), line, code, detail=exc.problem, context=context)
        return ParsedFile(problems=[broken])
    finally:
        loader.dispose()
    return ParsedFile(data=data, node=node)


def read_entries(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The entries of a YAML file whose top level is a list of mappings."""
    parsed = parse_file(path)
    if parsed.problems:
        return [], parsed.problems
    if parsed.node is None:
        return [], []
    return entries_of(parsed.node, parsed.data, str(path))


def entries_of(node: yaml.Node, data: Any, file: str) -> tuple[list[Entry], list[Problem]]:
    """Pair each item of a YAML sequence node with its constructed value and its lines."""
    if not isinstance(node, yaml.SequenceNode):
        return [], [_problem(file, node.start_mark.line + 1, "catalog.file.not_a_list")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for item_node, item in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item_node, yaml.MappingNode):
            problems.append(_problem(file, line, "catalog.file.not_a_mapping"))
            continue
        field_lines, repeated = _field_lines(item_node)
        problems.extend(
            _problem(file, at, "catalog.file.field_twice", field=key) for key, at in repeated
        )
        entries.append(Entry(file=file, line=line, data=item, field_lines=field_lines))
    return entries, problems


def _field_lines(node: yaml.MappingNode) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Line of each key; PyYAML silently keeps the last of repeated keys, so report them."""
    lines: dict[str, int] = {}
    repeated: list[tuple[str, int]] = []
    for key_node, _ in node.value:
        key, at = str(key_node.value), key_node.start_mark.line + 1
        if key in lines:
            repeated.append((key, at))
        else:
            lines[key] = at
    return lines, repeated


def _problem(file: str, line: int | None, code: str, /, **params: object) -> Problem:
    return problem(Location(file=file, line=line), code, **params)
