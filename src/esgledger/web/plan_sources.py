"""Where the targets and pathways pages read from, and the results they keep between views.

The targets file and the scenario folder are the server's settings (``ESGLEDGER_TARGETS``,
``ESGLEDGER_SCENARIOS``), resolved by the same functions as the JSON twins under
``/api/v1/targets`` and ``/api/v1/scenarios`` (:mod:`esgledger.settings`): unset, the
pages say that none is configured instead of judging the ledger against anyone's. Results are kept
per ledger version (:func:`esgledger.calc.cache.ledger_version`), so a page view after the
first costs a lookup until someone writes to the ledger.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fastapi import Request

from esgledger import pathways
from esgledger.calc.cache import ledger_version
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.engine.results import Results
from esgledger.errors import NotFoundError
from esgledger.settings import scenarios_folder, targets_file
from esgledger.targets import TargetFile, TargetsStatus, load_targets, targets_status
from esgledger.targets.evaluate import evaluate_targets, goal_fields
from esgledger.web.render import PageEnv

DEFAULT_SAMPLES = 200
SEED = 2060


def targets_path(env: PageEnv) -> Path:
    """The targets file the pages judge (the ``targets`` setting).

    Raises:
        NotConfigured: none is configured; NotFoundError: it is not a file.
    """
    return targets_file(env.request.app.state.settings.targets)


def configured_targets(env: PageEnv) -> Path | None:
    """The targets file when one is configured and present, else None (no targets shown)."""
    configured = env.request.app.state.settings.targets
    return Path(configured) if configured and Path(configured).is_file() else None


def scenarios_dir(env: PageEnv) -> Path:
    """The folder of scenario files (the ``scenarios`` setting).

    Raises:
        NotConfigured: none is configured.
    """
    return scenarios_folder(env.request.app.state.settings.scenarios)


def scenario_files(env: PageEnv) -> dict[str, Path]:
    """Scenario name (the file's stem, as in the API's URLs) → file, by name."""
    folder = scenarios_dir(env)
    found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return {path.stem: path for path in found}


def scenario_file(env: PageEnv, name: str) -> Path:
    """The file of scenario ``name``; only names of the folder are accepted (no paths).

    Raises:
        NotFoundError: the folder has no such scenario.
    """
    found = scenario_files(env)
    if name not in found:
        held = ", ".join(found) or "none"
        raise NotFoundError.coded("scenario.unknown", name=name, names=held)
    return found[name]


class Memo:
    """Values by key, few and thread-safe (pages are served from a thread pool)."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: dict[Any, Any] = {}

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Any, build: Callable[[], Any]) -> Any:
        """The value under ``key``, built outside the lock (computing is slow) if missing."""
        with self._lock:
            if key in self._items:
                return self._items[key]
        built = build()
        with self._lock:
            if len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = built
        return built


_STATE_LOCK = threading.Lock()


def memo(request: Request, name: str) -> Memo:
    """The application's memo ``name`` (made on first use, one per application)."""
    state = request.app.state
    with _STATE_LOCK:
        found = getattr(state, name, None)
        if found is None:
            found = Memo()
            setattr(state, name, found)
    return found


def _stamp(path: Path) -> tuple[str, float]:
    """A file as part of a cache key: its path and when it last changed."""
    return str(path), path.stat().st_mtime if path.exists() else 0.0


def factor_files(env: PageEnv) -> tuple[Path, ...]:
    return tuple(env.request.app.state.results.factor_files)


def load_target_file(env: PageEnv) -> TargetFile:
    """The targets file, read once per version of the file.

    Raises:
        ValidationFailed: the file has mistakes (all of them listed).
    """
    path = targets_path(env)
    return memo(env.request, "target_files").get(
        _stamp(path), lambda: load_targets(path, env.catalog)
    )


def status_of_targets(env: PageEnv, targets: TargetFile, through: str | None) -> TargetsStatus:
    """Every target judged on the approved values, once per ledger version and ``through``."""
    key = (ledger_version(env.session), _stamp(targets_path(env)), through, factor_files(env))
    return memo(env.request, "target_status").get(
        key,
        lambda: targets_status(
            env.session,
            env.catalog,
            targets,
            method_set=get_method_sets(DEFAULT_METHOD_SET)[0],
            factor_files=factor_files(env),
            through=through,
        ),
    )


def goals_for(targets: TargetFile, results: Results) -> list[pathways.Goal]:
    """Targets a projection can speak to: a threshold, and a scope the ledger has."""
    known = set(results.membership.codes) | set(results.entities.grid.entities)
    fields = [goal_fields(report) for report in evaluate_targets(targets, results)]
    return [pathways.Goal(**f) for f in fields if f is not None and f["scope"] in known]


def pathway_of(
    env: PageEnv,
    name: str,
    results: Results,
    goals: Sequence[pathways.Goal],
    samples: int,
) -> pathways.PathwayResult:
    """Scenario ``name`` projected from the ledger, once per (ledger version, file, samples).

    Raises:
        EsgError: the scenario file has mistakes, or the ledger has no whole year to start from.
    """
    path = scenario_file(env, name)
    targets = configured_targets(env)
    stamp = _stamp(targets) if targets else None
    key = (ledger_version(env.session), name, _stamp(path), samples, SEED, stamp)

    def build() -> pathways.PathwayResult:
        scenario = pathways.load_scenario(path)
        scopes = [goal.scope for goal in goals]
        base = pathways.pathway_baseline(results, year=scenario.base_year, scopes=scopes)
        ahead = [goal for goal in goals if goal.year > base.year]
        return pathways.run_pathway(
            scenario, base, env.catalog, goals=ahead, samples=samples, seed=SEED
        )

    return memo(env.request, "pathway_results").get(key, build)
