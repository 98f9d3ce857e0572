"""Load the indicator catalog from YAML: the shipped files plus a company's own.

The shipped catalog lives in ``catalog/data/*.yaml`` (one file per topic; the file name is
the topic) and the framework item lists in ``catalog/data/frameworks/*.yaml``. A company
adds indicators with extra files in the same format. Every problem of every file is
collected and raised once as a :class:`CatalogError`; a catalog with any problem is
never half-loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from esgledger.catalog.checks import check_catalog
from esgledger.catalog.errors import CatalogError, problem
from esgledger.catalog.messages import problems_from
from esgledger.catalog.model import FrameworkItem, Indicator
from esgledger.catalog.registry import Catalog
from esgledger.catalog.source import Entry, entries_of, parse_file, read_entries
from esgledger.errors import Location, Problem
from esgledger.plugins import Provided, collect, derived

DATA_DIR = Path(str(files("esgledger.catalog") / "data"))
FRAMEWORKS_DIR = DATA_DIR / "frameworks"
_Model = TypeVar("_Model", bound=BaseModel)


def load_catalog(extra_paths: Sequence[Path | str] | None = None) -> Catalog:
    """The shipped catalog, plus indicators from ``extra_paths`` (files or directories).

    The registered catalog (shipped and plugins' files) is read once and kept until the
    plugins change; extra files are read
    on every call, since a company edits them while it builds its catalog.

    Raises:
        CatalogError: any file has any problem; the error lists all of them.
    """
    if not extra_paths:
        from esgledger.catalog import shipped

        build = lambda: _build(registered_files())  # noqa: E731
        return derived("esgledger_catalog_files", "catalog", build, shipped)
    return _build(registered_files() + _expand([Path(path) for path in extra_paths]))


def shipped_files() -> list[Path]:
    """The topic files of the shipped catalog, in name order."""
    return sorted(DATA_DIR.glob("*.yaml"))


def registered_files() -> list[Path]:
    """The shipped topic files, then those plugins register (``esgledger_catalog_files``):
    the indicators a plugin's methods compute."""
    return [provided.item for provided in catalog_files().values()]


def catalog_files() -> dict[str, Provided[Path]]:
    """Every registered catalog file by path, with the plugin that registers it."""
    from esgledger.catalog import shipped

    return collect("esgledger_catalog_files", Path, str, shipped)


@dataclass(frozen=True)
class FileRead:
    """What one indicator file declared: valid indicators, every id written, problems."""

    declared: tuple[tuple[Entry, Indicator], ...]
    named: tuple[tuple[Entry, str], ...]
    problems: tuple[Problem, ...]


def _build(paths: list[Path]) -> Catalog:
    reads = [_read_shipped(path) if path.parent == DATA_DIR else read_file(path) for path in paths]
    declared = [pair for read in reads for pair in read.declared]
    named = [pair for read in reads for pair in read.named]
    problems = [problem for read in reads for problem in read.problems]
    items, item_problems = load_framework_items()
    problems += item_problems
    problems += check_catalog(declared, named, items)
    if problems:
        raise CatalogError.from_problems(problems)
    return Catalog((indicator for _, indicator in declared), items)


def read_file(path: Path) -> FileRead:
    """Validate each entry of one indicator file on its own; the file name is the topic."""
    declared: list[tuple[Entry, Indicator]] = []
    named: list[tuple[Entry, str]] = []
    entries, problems = read_entries(path)
    for entry in entries:
        if isinstance(entry.data.get("id"), str):
            named.append((entry, entry.data["id"]))
        data = {"topic": path.stem, **entry.data}
        indicator = _validate(Indicator, _with_data(entry, data), problems)
        if indicator is not None:
            declared.append((entry, indicator))
    return FileRead(tuple(declared), tuple(named), tuple(problems))


# Shipped files are package data and do not change while the process runs; a company's
# extra files are re-read on every load because their authors are editing them.
_read_shipped = lru_cache(maxsize=None)(read_file)


@lru_cache(maxsize=1)
def load_framework_items() -> tuple[dict[str, tuple[FrameworkItem, ...]], tuple[Problem, ...]]:
    """Items of each framework file (``frameworks/gri.yaml`` is framework ``gri``)."""
    items: dict[str, tuple[FrameworkItem, ...]] = {}
    problems: list[Problem] = []
    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        entries, file_problems = _framework_entries(path)
        problems += file_problems
        found = []
        for entry in entries:
            data = {"framework": path.stem, **entry.data}
            item = _validate(FrameworkItem, _with_data(entry, data), problems)
            if item is not None:
                found.append(item)
        items[path.stem] = tuple(found)
    return items, tuple(problems)


def _framework_entries(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The entries under ``items:`` of a framework file."""
    parsed = parse_file(path)
    if parsed.problems or parsed.node is None or not isinstance(parsed.data, dict):
        return [], parsed.problems
    node = next((value for key, value in parsed.node.value if key.value == "items"), None)
    if node is None:
        return [], [problem(Location(file=str(path)), "catalog.file.no_items")]
    return entries_of(node, parsed.data["items"], str(path))


def _validate(model: type[_Model], entry: Entry, problems: list[Problem]) -> _Model | None:
    try:
        return model.model_validate(entry.data)
    except ValidationError as exc:
        problems += problems_from(exc, entry, model)
        return None


def _with_data(entry: Entry, data: dict[str, Any]) -> Entry:
    """The same entry and lines with defaults (topic, framework) added to its data."""
    return Entry(entry.file, entry.line, data, entry.field_lines)


def _expand(paths: list[Path]) -> list[Path]:
    """Directories stand for the YAML files in them; a missing path is reported later."""
    expanded: list[Path] = []
    for path in paths:
        expanded += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return expanded
