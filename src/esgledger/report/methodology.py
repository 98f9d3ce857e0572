"""The methodology section's facts: datasets the calculation used, and its notes.

Read from the factor uses the engine recorded while computing, restricted to the report's
years, so the section cites what was applied, not every dataset that happens to be
installed. The GWP set of the method set is always cited: it defines tCO2e even in a year
without non-CO2 gases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from esgledger.engine.arrays.state import State
from esgledger.engine.results import Results
from esgledger.factors import FactorLibrary
from esgledger.report.facts import CalcNote, DatasetUse
from esgledger.report.inputs import file_record

NOTE_LIMIT = 12


def datasets_used(
    results: Results, library: FactorLibrary, years: Sequence[str]
) -> list[DatasetUse]:
    """Dataset versions whose factors entered a value of the years shown, with their keys."""
    keys: dict[tuple[str, str], set[str]] = {}
    for state, columns in _columns_of(results, years):
        for node in state.nodes.values():
            for use in node.factors.values():
                for index in set(use.which[:, columns].ravel().tolist()) - {-1}:
                    factor = use.choices[index]
                    keys.setdefault((factor.dataset, factor.version), set()).add(factor.key)
    known = {(d.name, d.version): d for d in library.datasets()}
    gwp = [k for k in known if k[0] == results.method_set.gwp_set]
    for key in gwp[-1:]:
        keys.setdefault(key, set())
    found = []
    for (name, version), used in sorted(keys.items()):
        info = known.get((name, version))
        found.append(
            DatasetUse(
                name,
                version,
                info.title if info else name,
                info.source if info else "",
                info.url if info else None,
                len(used),
                bool(info and info.is_override),
            )
        )
    return found


def calculation_notes(results: Results, years: Sequence[str]) -> list[CalcNote]:
    """Factor substitutions and group-level notes of the report year, at most a dozen.

    Entity-level notes (an entity without revenue has no revenue intensity) do not change a
    reported figure; notes on the group and on every entity (``*``) do. Each note is read
    into its parts, so that the report words it for a reader in its own language instead
    of printing the engine's text with its factor keys.
    """
    notes: dict[CalcNote, None] = {}
    for state, columns in _columns_of(results, years[-1:]):
        for node in state.nodes.values():
            for use in node.factors.values():
                if use.note is not None:
                    for text in use.note[:, columns].ravel().tolist():
                        if text:
                            notes[reader_note("", str(text))] = None
    for item in results.diagnostics:
        if item.entity == "*" or "group" in item.entity.split(", "):
            notes[reader_note(item.indicator, item.message)] = None
    return list(notes)[:NOTE_LIMIT]


# The engine's wording of the notes a report explains (engine/arrays/factor_grid.py,
# engine/methods/scope3.py); another note is printed as the engine wrote it.
_NOTE_FORMS = {
    "stale_factor": re.compile(r"^(?P<factor_key>\S+) of (?P<used>\d{4}) used for (?P<year>\d{4})"),
    "missing_factor": re.compile(
        r"^(?P<activity>\S+) not counted: no factor '(?P<factor_key>[^']+)'"
    ),
}


def reader_note(indicator: str, text: str) -> CalcNote:
    """The note's kind and parts when its wording is known, else the text itself."""
    for kind, form in _NOTE_FORMS.items():
        if found := form.match(text):
            return CalcNote(kind, indicator, tuple(sorted(found.groupdict().items())))
    return CalcNote("text", indicator, (("text", text),))


def _columns_of(results: Results, years: Sequence[str]) -> list[tuple[State, list[int]]]:
    """Each state with its columns that belong to ``years``: the years, and on the grid of
    months (where the factors of monthly values were applied) their months and whole-year
    columns."""
    found = []
    for state in (results.entities, results.boundaries):
        found.append(
            (state, [state.grid.period_index(y) for y in years if y in state.grid.periods])
        )
    if results.months is not None:
        for state in (results.months.entities, results.months.boundaries):
            periods = state.grid.periods
            found.append((state, [col for col, p in enumerate(periods) if p[:4] in years]))
    return found


def file_digests(paths: Sequence[Path]) -> tuple[dict[str, str], ...]:
    """Path and SHA-256 of each user factor file, so verify can tell when one changed."""
    return tuple(file_record(path) for path in paths)
