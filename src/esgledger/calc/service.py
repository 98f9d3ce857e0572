"""Run the engine on a ledger snapshot: the one place where ledger and engine meet."""

from __future__ import annotations

from collections.abc import Sequence
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
    scale_notes,
    unknown_override_entities,
    unknown_regions,
    unreported_year_notes,
    unused_region_notes,
)
from esgledger.ledger import snapshots
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.database import utcnow
from esgledger.ledger.frames import approved_frame, frame_hash, snapshot_frame
from esgledger.ledger.orgstore import load_org
from esgledger.org import OrgTree


@dataclass(frozen=True)
class CalculationRun:
    """The results of one snapshot under each method set, side by side."""

    snapshot_id: int
    snapshot_hash: str
    years: tuple[str, ...]
    results: tuple[Results, ...]
    factor_notes: tuple[Problem, ...] = ()  # user factors that change nothing or look mis-scaled

    @property
    def months(self) -> tuple[str, ...]:
        """The months computed (those of the years, where anything was reported monthly)."""
        return self.results[0].month_periods if self.results else ()


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
    calendar = reporting_years(session)
    chosen = [str(y) for y in _years(calendar, years)]
    libraries = [_library(factor_files, method_set) for method_set in method_sets]
    notes = _check_user_factors(libraries, org, calendar)
    results = tuple(
        calculate(observations, org, catalog, library, method_set, chosen)
        for library, method_set in zip(libraries, method_sets, strict=True)
    )
    return CalculationRun(shot_id, digest, tuple(chosen), results, notes)


def _check_user_factors(
    libraries: Sequence[FactorLibrary], org: OrgTree, calendar: Sequence[int]
) -> tuple[Problem, ...]:
    """Refuse user factor files that would apply to nothing: an override for an entity the
    organisation lacks, a factor for a region no entity and no shipped dataset has. Return
    a note for each key no dataset and no method knows, each shipped region no entity has,
    each override year the ledger does not report (a user may add those ahead of time), and
    each value far outside its key's shipped values (a unit slip, or a plant's own factor)."""
    codes = [entity.code for entity in org]
    regions = [entity.lookup_grid_region for entity in org if entity.lookup_grid_region]
    entities: dict[str, Problem] = {}
    places: dict[str, Problem] = {}
    notes: dict[str, Problem] = {}
    for library in libraries:  # method sets may add their own factor files
        entities.update((str(p), p) for p in unknown_override_entities(library, codes))
        places.update((str(p), p) for p in unknown_regions(library, regions))
        notes.update((str(p), p) for p in new_key_notes(library))
        notes.update((str(p), p) for p in unused_region_notes(library, regions))
        notes.update((str(p), p) for p in unreported_year_notes(library, calendar))
        notes.update((str(p), p) for p in scale_notes(library))
    reasons = [reason for reason, found in ((_ENTITIES, entities), (_REGIONS, places)) if found]
    if reasons:
        problems = [*entities.values(), *places.values()]
        raise FactorFileError("; ".join(reasons) + "; nothing was computed", problems)
    return tuple(notes.values())


_ENTITIES = "override scopes name entities the organisation does not have"
_REGIONS = "factors name regions that no entity and no shipped dataset has"


def _years(calendar: Sequence[int], asked: Sequence[int] | None) -> list[int]:
    """The years asked for, each one a year of the ledger's ``calendar`` (default: all).

    A year outside the calendar holds no data: computing it would only show empty values
    that look like "not reported".
    """
    unknown = [year for year in asked or () if year not in calendar]
    if unknown:
        listed = ", ".join(map(str, calendar)) or "none yet"
        named = ", ".join(map(str, unknown))
        which = (
            f"year {named} is not a reporting year"
            if len(unknown) == 1
            else (f"years {named} are not reporting years")
        )
        opened = ",".join(map(str, unknown))
        raise EsgError(
            f"{which} of this ledger (its years: {listed}); choose among those, or open "
            f"them with `esgledger init --years {opened}`"
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
