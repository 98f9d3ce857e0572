"""Run the engine on a ledger snapshot: the one place where ledger and engine meet.

Every computation of ledger figures (calc, the dashboard, targets, pathways, the report)
goes through :func:`run_calculation` (or :func:`read_inputs` then :func:`compute`): one
read of the values, and the user's factor files checked before anything is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import MethodSet
from esgledger.engine.results import Results
from esgledger.engine.run import calculate
from esgledger.errors import EsgError, Joined, Phrase, Problem
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
from esgledger.periods import Granularity


@dataclass(frozen=True)
class CalculationRun:
    """The results of one snapshot under each method set, side by side."""

    snapshot_id: int
    snapshot_hash: str
    years: tuple[str, ...]
    results: tuple[Results, ...]
    factor_notes: tuple[Problem, ...] = ()  # user factors that change nothing or look mis-scaled
    # the factor library of each method set (shipped, its own files and the user's)
    libraries: tuple[FactorLibrary, ...] = ()
    # each method set's twelve months of one year on a monthly grid, when asked for
    monthly: tuple[Results, ...] = ()

    @property
    def months(self) -> tuple[str, ...]:
        """The months computed (those of the years, where anything was reported monthly)."""
        return self.results[0].month_periods if self.results else ()


@dataclass(frozen=True)
class LedgerInputs:
    """Everything a calculation reads from the ledger, read at one moment."""

    snapshot_id: int  # 0: the approved values now, not stored as a snapshot
    snapshot_hash: str
    observations: pl.DataFrame
    org: OrgTree
    calendar: tuple[int, ...]


def run_calculation(
    session: Session,
    catalog: Catalog,
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
    inputs = read_inputs(
        session, author=author, snapshot_id=snapshot_id, record_snapshot=record_snapshot
    )
    return compute(inputs, catalog, method_sets, years=years, factor_files=factor_files)


def read_inputs(
    session: Session,
    *,
    author: str,
    snapshot_id: int | None = None,
    record_snapshot: bool = True,
) -> LedgerInputs:
    """Read the values, the organisation and the calendar once, for :func:`compute`.

    A caller that must look at the values before choosing what to compute (targets pick the
    year to judge on its run rate) reads them here, so both steps see the same values.
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
        raise EsgError.coded("run.no_organisation")
    calendar = tuple(reporting_years(session))
    return LedgerInputs(shot_id, digest, observations, org, calendar)


def compute(
    inputs: LedgerInputs,
    catalog: Catalog,
    method_sets: Sequence[MethodSet],
    *,
    years: Sequence[int] | None = None,
    factor_files: Sequence[Path] = (),
    months_of: int | None = None,
) -> CalculationRun:
    """Every method set's results for ``years`` (default: the calendar's), after checking
    the user's factor files against the organisation and the calendar.

    ``months_of`` also computes that year's twelve months on a monthly grid (``monthly``),
    with the same values and factors.
    """
    chosen = [str(y) for y in _years(inputs.calendar, years)]
    libraries = tuple(_library(factor_files, method_set) for method_set in method_sets)
    notes = _check_user_factors(libraries, inputs.org, inputs.calendar)
    pairs = list(zip(libraries, method_sets, strict=True))
    results = tuple(_calculate(inputs, catalog, pair, chosen) for pair in pairs)
    monthly = ()
    if months_of is not None:
        months = [f"{months_of}-{m:02d}" for m in range(1, 13)]
        monthly = tuple(
            _calculate(inputs, catalog, pair, months, Granularity.MONTH) for pair in pairs
        )
    return CalculationRun(
        inputs.snapshot_id, inputs.snapshot_hash, tuple(chosen), results, notes, libraries, monthly
    )


def _calculate(
    inputs: LedgerInputs,
    catalog: Catalog,
    pair: tuple[FactorLibrary, MethodSet],
    periods: list[str],
    granularity: Granularity = Granularity.YEAR,
) -> Results:
    library, method_set = pair
    return calculate(
        inputs.observations, inputs.org, catalog, library, method_set, periods, granularity
    )


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
        reasons_joined = Joined(tuple(Phrase.of(reason) for reason in reasons), "list.semicolon")
        raise FactorFileError.refusing(problems, "run.factor_scope", reasons=reasons_joined)
    return tuple(notes.values())


_ENTITIES = "run.scope_entities"
_REGIONS = "run.unknown_regions"


def _years(calendar: Sequence[int], asked: Sequence[int] | None) -> list[int]:
    """The years asked for, each one a year of the ledger's ``calendar`` (default: all).

    A year outside the calendar holds no data: computing it would only show empty values
    that look like "not reported".
    """
    unknown = [year for year in asked or () if year not in calendar]
    if unknown:
        listed = ", ".join(map(str, calendar)) or Phrase.of("run.none_yet")
        named = ", ".join(map(str, unknown))
        code = "run.year_closed" if len(unknown) == 1 else "run.years_closed"
        opened = ",".join(map(str, unknown))
        raise EsgError.coded(code, named=named, listed=listed, opened=opened)
    return list(asked or calendar)


def _snapshot(session: Session, author: str, snapshot_id: int | None):
    if snapshot_id is None:
        return snapshots.take_snapshot(session, author)
    shot = next((s for s in snapshots.list_snapshots(session) if s.id == snapshot_id), None)
    if shot is None:
        raise EsgError.coded("run.no_snapshot", snapshot=snapshot_id)
    return shot


def _library(factor_files: Sequence[Path], method_set: MethodSet) -> FactorLibrary:
    paths = [*factor_files, *(Path(p) for p in method_set.factor_files)]
    return load_factor_sets(paths or None)
