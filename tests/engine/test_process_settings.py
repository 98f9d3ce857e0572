"""What the engine sets for its process: malloc keeping freed memory, BLAS threads."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from threadpoolctl import threadpool_info

from esgledger.engine.arrays import workers
from esgledger.engine.arrays.memory import keep_freed_memory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's; elsewhere keep_freed_memory changes nothing",
)
def test_glibc_malloc_accepts_the_settings_every_time():
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def _load_blas() -> None:
    """numpy's OpenBLAS and scipy's own (the LCA loads both): the limit must hold both."""
    import numpy as np
    import scipy.linalg

    scipy.linalg.lu_factor(np.eye(3) @ np.eye(3))


def engine_blas_threads() -> tuple[list[int], list[list[int]], list[int]]:
    """BLAS threads before, inside each of four engine workers, and after."""
    _load_blas()
    workers.WORKERS = 2
    workers.a_core_to_spare = lambda: True  # a fresh process: the pool whatever the load
    before = _blas_threads()
    with workers.mapper(1_000_000) as run_all:
        during = run_all(lambda _: _blas_threads(), range(4))
    return before, during, _blas_threads()


def _in_fresh_process(probe: str):
    """Run ``probe`` (a function of this file) in a new interpreter: once a thread has set
    OpenBLAS's thread count, later settings from other threads may be ignored, so what
    earlier tests in this worker did would decide the outcome instead of the code under
    test (tests/pathways/test_thread_budget.py does the same)."""
    code = f"import json; from tests.engine.test_process_settings import {probe} as p; "
    code += "print(json.dumps(p()))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_blas_runs_one_thread_while_the_engine_runs_its_own():
    before, during, after = _in_fresh_process("engine_blas_threads")
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    assert during == [[1] * len(before)] * 4
    assert after == before


def test_small_grids_stay_in_the_calling_thread(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)
    with workers.mapper(100) as run_all:
        names = run_all(lambda _: threading.current_thread().name, range(3))
    assert set(names) == {threading.current_thread().name}


def test_a_busy_machine_keeps_the_work_in_the_calling_thread(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)
    monkeypatch.setattr(workers, "a_core_to_spare", lambda: False)
    with workers.mapper(1_000_000) as run_all:
        names = run_all(lambda _: threading.current_thread().name, range(3))
    assert set(names) == {threading.current_thread().name}


def test_work_spread_from_a_worker_thread_stays_in_that_thread(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)
    monkeypatch.setattr(workers, "a_core_to_spare", lambda: True)

    def inner(item: int) -> tuple[int, set[str]]:
        with workers.mapper(1_000_000) as run_all:
            names = run_all(lambda _: threading.current_thread().name, range(3))
        return item, set(names)

    with workers.mapper(1_000_000) as run_all:
        found = run_all(inner, range(4))  # with both workers waiting on queued work: for ever
    assert [item for item, _ in found] == [0, 1, 2, 3]
    assert all(len(names) == 1 for _, names in found)


def overlapping_holders() -> tuple[list[int], list[int], list[int]]:
    """BLAS threads before, after the first of two overlapping holders left, and after both."""
    _load_blas()
    before = _blas_threads()
    first, second = workers.one_blas_thread(), workers.one_blas_thread()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    between = _blas_threads()
    second.__exit__(None, None, None)
    return before, between, _blas_threads()


def test_the_first_of_two_overlapping_holders_to_leave_does_not_lift_the_limit():
    """Holders in two threads overlap like this; the limit is the process's, not a thread's."""
    before, between, after = _in_fresh_process("overlapping_holders")
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    assert between == [1] * len(before)
    assert after == before
