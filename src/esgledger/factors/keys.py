"""Whether the keys of a user factor file can change anything.

A factor whose key no shipped dataset defines and no method asks for (``expected_keys.yaml``)
changes no result. Spelt close to a known key, it is almost surely a typo
(``grid.electricty``), and the loader refuses its file (:func:`misspelt_keys`); far from
every known key it may be new on purpose, so it is only noted (:func:`new_key_notes`).

Entities, regions and years that reach nothing are found by :mod:`esgledger.factors.reach`,
which needs the organisation and the ledger's calendar.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from esgledger.errors import Problem
from esgledger.factors.checks import where
from esgledger.factors.lookup import FactorLibrary
from esgledger.factors.model import Factor, FactorEntry, FactorSet

EXPECTED_KEYS = Path(__file__).resolve().parent / "expected_keys.yaml"
TYPO_CUTOFF = 0.85  # grid.electricty ~ grid.electricity is 0.97; unrelated keys stay below 0.8


@lru_cache(maxsize=1)
def expected_keys() -> frozenset[str]:
    """Keys a method asks for that no shipped dataset defines (Scope 3, PFCs)."""
    data = yaml.safe_load(EXPECTED_KEYS.read_text(encoding="utf-8"))
    return frozenset(key for keys in data["asked_by"].values() for key in keys)


def misspelt_keys(
    factors: Iterable[tuple[FactorEntry, Factor]], known: Collection[str]
) -> list[Problem]:
    """Keys of a user file that are not ``known`` but spelt like one that is.

    A factor marked ``new_key: true`` is taken as new on purpose and not reported.
    """
    problems = []
    for entry, factor in factors:
        if entry.new_key or factor.key in known:
            continue
        close = difflib.get_close_matches(factor.key, known, n=1, cutoff=TYPO_CUTOFF)
        if close:
            problems.append(
                Problem.coded(
                    replace(where(factor), column="key"),
                    factor.key,
                    "factor.check.misspelt_key",
                    key=factor.key,
                    known=close[0],
                )
            )
    return problems


def new_key_notes(library: FactorLibrary) -> list[Problem]:
    """One note per user file and key that no shipped dataset defines and no method asks for.

    Such a factor is loaded but used by no calculation: worth a line in the output, not an
    error, since a user may add keys ahead of the methods that will use them.
    """
    known = known_keys(library.sets)
    seen: dict[tuple[str | None, str], Factor] = {}
    for item in library.sets:
        for factor in item.factors if item.is_override else ():
            if factor.key not in known:
                seen.setdefault((item.path, factor.key), factor)
    return [
        Problem.coded(
            replace(where(factor), column="key"), factor.key, "factor.check.new_key", key=factor.key
        )
        for factor in seen.values()
    ]


def known_keys(sets: Iterable[FactorSet]) -> frozenset[str]:
    """Keys of the shipped datasets among ``sets`` and the keys methods ask for."""
    shipped = (f.key for item in sets if not item.is_override for f in item.factors)
    return frozenset(shipped) | expected_keys()
