"""Read a product-system YAML file, keeping the line of every process and exchange so that
a fault (a bad field, allocation shares that do not add up, a singular cycle) names it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from esgledger.errors import EsgError, Location
from esgledger.products.model import ProductSystem

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that notes the 1-based line where each mapping starts."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_system(path: Path) -> ProductSystem:
    """The product system in ``path``, validated; a fault names the file and YAML line."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise EsgError(
            str(exc),
            code="footprint.unreadable",
            params={"file": str(path), "reason": str(exc)},
            location=Location(file=str(path)),
        ) from exc
    if not isinstance(raw, dict):
        raise EsgError(
            "not a mapping",
            code="footprint.not_a_system",
            params={"file": str(path)},
            location=Location(file=str(path)),
        )
    try:
        system = ProductSystem.model_validate(_placed(raw, keep=False))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EsgError(
            f"{where}: {first['msg']}",
            code="footprint.invalid_field",
            params={"field": where, "reason": first["msg"]},
            location=Location(file=str(path), line=_line_of(raw, first["loc"])),
        ) from exc
    return system.model_copy(update={"source_file": str(path)})


def _placed(value: Any, keep: bool) -> Any:
    """``value`` without the loader's line marks, except on list items and the ledger link,
    whose models carry a ``line`` field."""
    if isinstance(value, dict):
        line = value.get(LINE)
        out = {k: _placed(v, keep=(k == "ledger")) for k, v in value.items() if k != LINE}
        if keep and line is not None:
            out["line"] = line
        return out
    if isinstance(value, list):
        return [_placed(item, keep=True) for item in value]
    return value


def _line_of(raw: Any, loc: tuple) -> int | None:
    """The line of the innermost mapping along a pydantic error location."""
    line, node = raw.get(LINE) if isinstance(raw, dict) else None, raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE in node:
            line = node[LINE]
    return line
