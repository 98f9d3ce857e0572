"""Targets: every commitment's status by year, its trajectory beside the actuals, warnings.

The targets are read from the YAML file the ``targets`` setting names (``ESGLEDGER_TARGETS``;
no default: unset, the answer is 404 "no targets file configured") and judged on the
ledger's approved values as they stand, without a snapshot (see docs/targets-and-pathways.md).
Answers are kept per (ledger, ledger version, method set, factor files, targets file,
``through``) until the ledger changes, so repeated reads are cheap.

Access: targets are judged on group, segment and key-entity totals. A reporter sees only
its own entities, never such totals, so it gets 403 here (and on pathways); admins, group
managers and auditors read targets.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, StringConstraints
from sqlalchemy.orm import Session

from esgledger.api.deps import CurrentUser, SessionDep
from esgledger.api.errors import Forbidden
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import PeriodText, error_responses
from esgledger.auth.roles import REVIEWERS, SEES_ALL
from esgledger.auth.service import Principal
from esgledger.calc.cache import ledger_version
from esgledger.catalog.registry import Catalog
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.errors import NotFoundError
from esgledger.ledger.calendar import reporting_years
from esgledger.settings import targets_file
from esgledger.targets import (
    SeriesPoint,
    TargetFile,
    TargetReport,
    load_targets,
    targets_status,
    trajectory_series,
)
from esgledger.targets.evaluate import describe_goal

GROUP_ERRORS = error_responses(400, 404)

router = APIRouter(tags=["targets"], responses=GROUP_ERRORS)

Value = TypeVar("Value")


class RunCache(Generic[Value]):
    """Computed answers by key; the least recently used go beyond ``size``. Thread-safe.

    The lock guards only the dictionary: a computation runs outside it, so one slow run
    never blocks readers of other keys (two requests missing the same key at once both
    compute it, and the answers are equal).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Value] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_FILES: RunCache[TargetFile] = RunCache(8)


def _group_reader(principal: CurrentUser) -> Principal:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded("target.group_only", role=principal.role.value)
    return principal


def _group_planner(principal: CurrentUser) -> Principal:
    if principal.role not in REVIEWERS:
        raise Forbidden.coded("target.no_planning", role=principal.role.value)
    return principal


GroupReader = Annotated[Principal, Depends(_group_reader)]
GroupPlanner = Annotated[Principal, Depends(_group_planner)]

MethodSetName = Annotated[
    str,
    Query(
        max_length=60,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="One method set (`esgledger calc --help` lists them)",
    ),
]
TargetId = Annotated[
    str, StringConstraints(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
]


def file_key(path: Path) -> tuple[str, str]:
    """A file's identity for caches: its path and a digest of its content ("" if unreadable).

    (Content rather than modification time, which can stay the same across quick edits.)
    """
    try:
        return str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return str(path), ""


def current_targets(catalog: Catalog, settings: Any) -> tuple[TargetFile, tuple[str, str]]:
    """The targets file, read again only when its content changed, and its cache identity.

    Raises:
        NotConfigured: no targets file is configured (there is no default).
        NotFoundError: there is no file at the configured path.
        ValidationFailed: the file has problems (each with its line and what to do).
    """
    path = targets_file(settings.targets)
    key = file_key(path)
    return _FILES.get((*key, id(catalog)), lambda: load_targets(path, catalog)), key


def ledger_key(request: Request, session: Session) -> tuple[str, int]:
    """Which ledger, in which version: every write appends an audit entry."""
    return str(request.app.state.database.url), ledger_version(session)


def factor_key(settings: Any) -> tuple[Path, ...]:
    return tuple(Path(f) for f in settings.factor_files)


class TargetPublic(TargetReport):
    """One target's report: status by year, restatement, required rate, run rate and
    warning, the goal in words, and the chart series (trajectory beside the actuals)."""

    goal: str
    series: list[SeriesPoint]

    @classmethod
    def of(cls, report: TargetReport) -> TargetPublic:
        return cls(
            **dict(report),
            goal=describe_goal(report),
            series=trajectory_series(report),
        )


class TargetsPublic(BaseModel):
    """Every target of the file, in file order, with the early warnings of the run rate."""

    file: str
    method_set: str
    snapshot_hash: str
    years: list[int]
    through: str | None
    warnings: list[str]
    targets: list[TargetPublic]


_STATUS: RunCache[TargetsPublic] = RunCache(32)


def _status(
    request: Request,
    session: Session,
    catalog: Catalog,
    settings: Any,
    methods: str,
    through: str | None,
) -> TargetsPublic:
    method_set = get_method_sets(methods)[0]
    if through is not None and int(through[:4]) not in (years := reporting_years(session)):
        listed = ", ".join(map(str, years)) or "none"
        raise NotFoundError.coded("target.year_closed", year=through[:4], listed=listed)
    targets, targets_key = current_targets(catalog, settings)
    factors = factor_key(settings)

    def compute() -> TargetsPublic:
        status = targets_status(
            session, catalog, targets, method_set=method_set, factor_files=factors, through=through
        )
        reports = [TargetPublic.of(report) for report in status.reports]
        return TargetsPublic(
            file=Path(targets_key[0]).name,
            method_set=status.method_set,
            snapshot_hash=status.snapshot_hash,
            years=status.years,
            through=status.through,
            warnings=[r.warning for r in reports if r.warning],
            targets=reports,
        )

    key = (*ledger_key(request, session), methods, factors, targets_key, through)
    return _STATUS.get(key, compute)


Through = Annotated[
    PeriodText | None,
    Query(
        description="A month (2024-09): judge its year on the run rate to that month. "
        "Default: the latest year on its run rate when its monthly data stop before December"
    ),
]


@router.get("/targets", response_model=TargetsPublic, summary="Status of every target")
def get_targets(
    principal: GroupReader,
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    methods: MethodSetName = DEFAULT_METHOD_SET,
    through: Through = None,
) -> TargetsPublic:
    """Every target's status for every computed year (met, on track, at risk, missed, no
    data), its base (restated or not), the yearly rate still required, the chart series
    (trajectory, threshold and actuals by year) and the run-rate early warnings.

    Reporters get 403: the figures are group, segment and key-entity totals.
    """
    return _status(request, session, catalog, settings, methods, through)


@router.get("/targets/{target_id}", response_model=TargetPublic, summary="One target")
def get_target(
    principal: GroupReader,
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    target_id: Annotated[TargetId, PathParam(description="The target's id in the file")],
    methods: MethodSetName = DEFAULT_METHOD_SET,
    through: Through = None,
) -> TargetPublic:
    """One target's report, as in the list; an id the file does not hold is a 404."""
    status = _status(request, session, catalog, settings, methods, through)
    found = next((t for t in status.targets if t.target.id == target_id), None)
    if found is None:
        known = ", ".join(t.target.id for t in status.targets)
        raise NotFoundError.coded("target.unknown", target=target_id, known=known)
    return found
