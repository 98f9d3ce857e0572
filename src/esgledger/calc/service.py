"""Run the engine on a ledger snapshot: the one place where ledger and engine meet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from esgledger.engine.methodset import MethodSet
from esgledger.engine.results import Results
from esgledger.engine.run import calculate
from esgledger.errors import EsgError, Problem
from esgledger.factors import (
    FactorFileError,
    FactorLibrary,
    load_factor_sets,
    new_key_notes,
    unknown_override_entities,
)
from esgledger.ledger import snapshots
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.database import utcnow
from esgledger.ledger.frames import approved_frame, frame_hash, snapshot_frame
from esgledger.ledger.orgstore import load_org


@dataclass(frozen=True)
class CalculationRun:
    """The results of one snapshot under each method set, side by side."""

    snapshot_id: int
    snapshot_hash: str
    years: tuple[str, ...]
    results: tuple[Results, ...]
    factor_notes: tuple[Problem, ...] = ()  # keys of user factor files that nothing uses


def run_calculation(
    session: Session,
    catalog: Any,
    method_sets: Sequence[MethodSet],
    *,
    author: str,
    snapshot_id: int | None = None,
    years: Sequence[int] | None = None,
    factor_files: Sequence[Path] = (),
    record_snapshot: bool = True,
) -> CalculationRun:
    """Compute ``snapshot_id`` (default: the approved values now, stored as a snapshot).

    With ``record_snapshot=False`` the approved values are read without storing a snapshot
    (a dashboard view must not write); the run's hash is still their content hash.
    """
    if snapshot_id is None and not record_snapshot:
        observations = approved_frame(session, utcnow())
        shot_id, digest = 0, frame_hash(observations)
    else:
        shot = _snapshot(session, author, snapshot_id)
        observations = snapshot_frame(session, shot.id)
        shot_id, digest = shot.id, shot.content_hash
    org = load_org(session)
    if org.root is None:
        raise EsgError("the ledger has no organisation yet; load it with `esgledger org load FILE`")
    chosen = [str(y) for y in _years(session, years)]
    libraries = [_library(factor_files, method_set) for method_set in method_sets]
    notes = _check_user_factors(libraries, (entity.code for entity in org))
    results = tuple(
        calculate(observations, org, catalog, library, method_set, chosen)
        for library, method_set in zip(libraries, method_sets, strict=True)
    )
    return CalculationRun(shot_id, digest, tuple(chosen), results, notes)


def _check_user_factors(
    libraries: Sequence[FactorLibrary], codes: Iterable[str]
) -> tuple[Problem, ...]:
    """Refuse user factor files scoped to entities the organisation lacks (they would apply
    to nothing); return a note for each key that no dataset and no method knows."""
    codes = list(codes)
    problems: dict[str, Problem] = {}
    notes: dict[str, Problem] = {}
    for library in libraries:  # method sets may add their own factor files
        problems.update((str(p), p) for p in unknown_override_entities(library, codes))
        notes.update((str(p), p) for p in new_key_notes(library))
    if problems:
        raise FactorFileError(
            "override scopes name entities the organisation does not have; nothing was computed",
            list(problems.values()),
        )
    return tuple(notes.values())


def _years(session: Session, asked: Sequence[int] | None) -> list[int]:
    """The years asked for, each one a year of the ledger's calendar (default: all of them).

    A year outside the calendar holds no data: computing it would only show empty values
    that look like "not reported".
    """
    calendar = reporting_years(session)
    unknown = [year for year in asked or () if year not in calendar]
    if unknown:
        listed = ", ".join(map(str, calendar)) or "none yet"
        raise EsgError(
            f"year {', '.join(map(str, unknown))} is not a reporting year of this ledger "
            f"(its years: {listed}); choose one of those, or open the year with "
            f"`esgledger init --years {unknown[0]}`"
        )
    return list(asked or calendar)


def _snapshot(session: Session, author: str, snapshot_id: int | None):
    if snapshot_id is None:
        return snapshots.take_snapshot(session, author)
    shot = next((s for s in snapshots.list_snapshots(session) if s.id == snapshot_id), None)
    if shot is None:
        raise EsgError(f"no snapshot {snapshot_id}; `esgledger snapshot --list` shows them")
    return shot


def _library(factor_files: Sequence[Path], method_set: MethodSet) -> FactorLibrary:
    paths = [*factor_files, *(Path(p) for p in method_set.factor_files)]
    return load_factor_sets(paths or None)
