"""YAML reading that remembers where each mapping and key sits in the file.

Error messages must name the YAML line of the bad value, and ``yaml.safe_load`` forgets
lines. This loader builds plain dict subclasses that carry their own line and the line of
each key, and notices keys written twice (which PyYAML would silently overwrite).

Dates stay text: PyYAML would turn ``2024-01-01`` into a date itself and end in a bare
``ValueError`` on ``2024-13-01``, so the models read dates and report a bad one at its line
like any other bad value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A YAML mapping that knows its line, its keys' lines and any keys written twice."""

    line: int = 0
    key_lines: dict[str, int]
    repeated: list[tuple[str, int]]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if it was written, else the line where the mapping starts."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are :class:`LineDict` and whose dates are their text."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines, mapping.repeated = {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.repeated.append((str(key), line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = line
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path) -> Any:
    """Parse ``path``; raises ``yaml.YAMLError`` (with its line) on broken syntax.

    The loader subclasses ``SafeLoader``, so no arbitrary Python objects are built.
    """
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
