"""Where each reported number comes from: revision ids, restatements, derived lineage ids.

A collected value consolidates observations; their revision ids are its lineage. A computed
value has no row of its own, so it gets an id derived from what fixes it (the snapshot hash,
indicator, target and year): the same snapshot always gives the same id, and `explain`
rebuilds its derivation from the same four things.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime
from functools import cached_property

import numpy as np
import polars as pl
from sqlalchemy.orm import Session

from esgledger.engine.results import Results
from esgledger.ledger.reads.observations import restated_values
from esgledger.report.facts import Restatement
from esgledger.reporting_time import to_reporting_time


def lineage_id(snapshot_hash: str, indicator: str, target: str, year: str) -> str:
    """``L`` + 16 hex digits of SHA-256 over the four things that fix a computed value."""
    digest = hashlib.sha256(f"{snapshot_hash}|{indicator}|{target}|{year}".encode()).hexdigest()
    return f"L{digest[:16]}"


def restatements(session: Session, snapshot_id: int, zone: str | None = None) -> list[Restatement]:
    """Restated observations the snapshot holds, with the reason given for each and the
    day it was made in the reporting time zone ``zone``."""
    return [
        Restatement(r.entity, r.period, r.indicator, r.reason, _day(r.at, zone))
        for r in restated_values(session, snapshot_id)
    ]


def _day(moment: datetime, zone: str | None) -> str:
    return to_reporting_time(moment, zone).date().isoformat()


class Lineage:
    """Lineage questions about one set of results, answered from arrays built once."""

    def __init__(self, results: Results, snapshot_hash: str, found: list[Restatement]) -> None:
        self.results = results
        self.snapshot_hash = snapshot_hash
        self.found = found
        self._closure: dict[str, frozenset[str]] = {}

    @cached_property
    def _revisions(self) -> dict[tuple[str, str], dict[str, list[int]]]:
        """(indicator, year) → entity → revision ids, from the observations of the cube."""
        frame = self.results.cube.observations.select(
            "indicator", pl.col("period").str.slice(0, 4).alias("year"), "entity", "revision_id"
        )
        table: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
        grouped = frame.group_by("indicator", "year", "entity").agg(pl.col("revision_id"))
        for indicator, year, entity, ids in grouped.iter_rows():
            table[(indicator, year)][entity] = sorted(ids)
        return table

    def members(self, target: str) -> set[str]:
        """Entities whose values count in ``target`` (weight above zero)."""
        info = self.results.membership
        if target not in info.codes:
            return {target}
        row = info.codes.index(target)
        entities = self.results.entities.grid.entities
        return {entities[i] for i in np.flatnonzero(info.weights[row] > 0)}

    def revision_ids(self, indicator: str, target: str, year: str) -> list[int]:
        """Revision ids of the observations a collected value at ``target`` consolidates."""
        by_entity = self._revisions.get((indicator, year), {})
        members = self.members(target)
        return sorted(i for entity, ids in by_entity.items() if entity in members for i in ids)

    def inputs(self, indicator: str) -> tuple[str, ...]:
        """The indicators ``indicator`` is directly computed from (empty for inputs)."""
        node = self.results.entities.nodes.get(indicator)
        return tuple(dict.fromkeys(node.inputs)) if node else ()

    def formula(self, indicator: str) -> str:
        node = self.results.entities.nodes.get(indicator)
        return node.formula if node else "collected value"

    def closure(self, indicator: str) -> frozenset[str]:
        """Every indicator ``indicator`` rests on, itself included."""
        if indicator not in self._closure:
            self._closure[indicator] = frozenset()  # guards against a cycle while walking
            found = {indicator}
            for item in self.inputs(indicator):
                found |= self.closure(item)
            self._closure[indicator] = frozenset(found)
        return self._closure[indicator]

    def restated(self, indicator: str, target: str, year: str) -> list[Restatement]:
        """Restatements that change this value: its own observations' or its inputs'."""
        if not self.found:
            return []
        members, rests_on = self.members(target), self.closure(indicator)
        return [
            r
            for r in self.found
            if r.year == year and r.indicator in rests_on and r.entity in members
        ]
