"""Read factor files: the shipped, cited datasets and a user's own override files.

A user file is YAML (``.yaml``/``.yml``) or CSV (``.csv``, one factor per row); both are
validated by the same models. Every file is validated whole before anything is used: each
problem (unknown field, bad unit, negative value, duplicate or overlapping validity, a key
spelt like a known one) is reported with file and YAML line or CSV row and column, and the file is
refused as a unit, so a half-read factor set never reaches a calculation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from esgledger.errors import Location, Problem
from esgledger.factors.checks import series_problems
from esgledger.factors.csv_format import read_csv_factors
from esgledger.factors.errors import FactorError, FactorFileError
from esgledger.factors.keys import known_keys, misspelt_keys
from esgledger.factors.lookup import FactorLibrary
from esgledger.factors.model import Factor, FactorEntry, FactorSet, OverrideScope, SetHeader
from esgledger.factors.validation import Parsed
from esgledger.factors.yaml_format import read_yaml_factors
from esgledger.plugins import claim, collect, derived

DATA_DIR = Path(__file__).resolve().parent / "data"
_Built = TypeVar("_Built")

READERS: dict[str, Callable[[Path], Parsed]] = {
    ".yaml": read_yaml_factors,
    ".yml": read_yaml_factors,
    ".csv": read_csv_factors,
}


def load_factor_sets(extra_paths: Iterable[str | Path] | None = None) -> FactorLibrary:
    """The shipped factor sets plus the user's override files, ready for lookup.

    Args:
        extra_paths: user factor files, YAML or CSV (or directories of them). Each one
            overrides the shipped defaults for the entities and years its ``overrides:``
            (CSV: ``entities`` and ``years`` columns) names, or for everything when it
            declares ``overrides: global`` or nothing.

    Raises:
        FactorFileError: a file has problems; all of them are listed with their lines.
        FactorError: a path does not exist or an override replaces an unknown dataset.
    """
    overrides = [read_factor_file(path) for path in _expand(extra_paths or ())]
    return FactorLibrary(shipped_factor_sets(), overrides)


def shipped_factor_sets() -> tuple[FactorSet, ...]:
    """The built-in datasets: every YAML file under ``factors/data`` and every file a plugin
    registers (``esgledger_factor_sets``), read once per set of plugins (they never change).

    Raises:
        PluginError: two plugins declare the same dataset name.
        FactorFileError: a file has problems, or two datasets contradict each other.
    """
    return _derived("sets", _registered_sets)[0]


def factor_set_plugins() -> dict[str, str]:
    """The plugin that registers each built-in dataset, by dataset name."""
    return _derived("sets", _registered_sets)[1]


def _registered_sets() -> tuple[tuple[FactorSet, ...], dict[str, str]]:
    from esgledger.factors import shipped

    sets: list[FactorSet] = []
    owners: dict[str, str] = {}
    for provided in collect("esgledger_factor_sets", Path, str, shipped).values():
        read = read_factor_file(provided.item, shipped=True)
        if owners.get(read.name, provided.plugin) != provided.plugin:
            claim(owners, read.name, provided.plugin, f"the factor file {provided.item}")
        owners[read.name] = provided.plugin
        sets.append(read)
    problems = series_problems(f for s in sets for f in s.factors)
    if problems:
        raise FactorFileError.refusing(problems, "load.contradict")
    return tuple(sets), owners


def read_factor_file(path: Path, *, shipped: bool = False) -> FactorSet:
    """One factor file, YAML or CSV by its extension, validated whole.

    Raises:
        FactorFileError: every problem of the file, each with its YAML line or CSV row.
    """
    parsed = _reader(path)(path)
    header, problems = parsed.header, parsed.problems
    factors: tuple[Factor, ...] = ()
    if header is not None:
        problems.extend(_scope_problems(parsed, header, shipped))
        factors = tuple(_factor(path, header, entry, at) for entry, at in parsed.entries)
        problems.extend(series_problems(factors))
        if not shipped:
            entries = [entry for entry, _ in parsed.entries]
            problems.extend(misspelt_keys(zip(entries, factors, strict=True), _known_keys()))
    if problems or header is None:
        problems.sort(key=lambda p: p.location.line or p.location.row or 0)
        raise FactorFileError.refusing(problems, "load.problems", file=path, count=len(problems))
    return _factor_set(path, header, factors, shipped, parsed.scope_at)


def _known_keys() -> frozenset[str]:
    return _derived("known keys", lambda: known_keys(shipped_factor_sets()))


def _derived(key: str, build: Callable[[], _Built]) -> _Built:
    """What is made of the registered factor files, kept while the same plugins give them."""
    from esgledger.factors import shipped

    return derived("esgledger_factor_sets", key, build, shipped)


def _reader(path: Path) -> Callable[[Path], Parsed]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        at, suffix = Location(file=str(path)), path.suffix or None
        problem = Problem.coded(at, suffix, "factor.file.suffix", name=path.name)
        raise FactorFileError.refusing([problem], "load.unreadable", file=path)
    return reader


def _scope_problems(parsed: Parsed, header: SetHeader, shipped: bool) -> list[Problem]:
    if shipped and header.overrides is not None:
        return [Problem.coded(parsed.scope_at, None, "factor.file.shipped_overrides")]
    return []


def _factor(path: Path, header: SetHeader, entry: FactorEntry, at: int) -> Factor:
    data = entry.model_dump(exclude={"citation", "citation_zh", "version", "new_key"})
    return Factor(
        **data,
        dataset=header.name,
        version=entry.version or header.version,
        citation=_cited(header.source, entry.citation),
        citation_zh=_citation_zh(header, entry),
        origin=f"{path}:{at}",
    )


def _cited(source: str, citation: str | None) -> str:
    return f"{source} — {citation}" if citation else source


def _citation_zh(header: SetHeader, entry: FactorEntry) -> str | None:
    """The Chinese citation: the file's source_zh with the factor's citation_zh; none while
    the factor has an English citation only (it would be cut from its Chinese reference)."""
    if header.source_zh is None or (entry.citation and not entry.citation_zh):
        return None
    return _cited(header.source_zh, entry.citation_zh)


def _factor_set(
    path: Path, header: SetHeader, factors: tuple[Factor, ...], shipped: bool, scope_at: Location
) -> FactorSet:
    """A user file with no ``overrides:`` is global: it wins for every entity and year."""
    overrides = None if shipped else header.overrides or OverrideScope()
    fields = header.model_dump(exclude={"factors", "defaults", "overrides"})
    return FactorSet(
        **fields, overrides=overrides, path=str(path), scope_at=scope_at, factors=factors
    )


def _expand(paths: Iterable[str | Path]) -> Sequence[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in READERS))
        elif path.is_file():
            found.append(path)
        else:
            raise FactorError.coded("factor.file.missing", path=path)
    return found
