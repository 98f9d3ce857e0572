"""What the engine sets for its process: malloc keeping freed memory, BLAS threads."""

from __future__ import annotations

import platform
import threading

import pytest
from threadpoolctl import threadpool_info

from esgledger.engine.arrays import workers
from esgledger.engine.arrays.memory import keep_freed_memory


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's; elsewhere keep_freed_memory changes nothing",
)
def test_glibc_malloc_accepts_the_settings_every_time():
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_blas_runs_one_thread_while_the_engine_runs_its_own(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)
    before = _blas_threads()
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    with workers.mapper(1_000_000) as run_all:
        during = run_all(lambda _: _blas_threads(), range(4))
    assert during == [[1] * len(before)] * 4
    assert _blas_threads() == before


def test_small_grids_stay_in_the_calling_thread(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)
    with workers.mapper(100) as run_all:
        names = run_all(lambda _: threading.current_thread().name, range(3))
    assert set(names) == {threading.current_thread().name}


def test_work_spread_from_a_worker_thread_stays_in_that_thread(monkeypatch):
    monkeypatch.setattr(workers, "WORKERS", 2)

    def inner(item: int) -> tuple[int, set[str]]:
        with workers.mapper(1_000_000) as run_all:
            names = run_all(lambda _: threading.current_thread().name, range(3))
        return item, set(names)

    with workers.mapper(1_000_000) as run_all:
        found = run_all(inner, range(4))  # with both workers waiting on queued work: for ever
    assert [item for item, _ in found] == [0, 1, 2, 3]
    assert all(len(names) == 1 for _, names in found)


def test_the_first_of_two_overlapping_holders_to_leave_does_not_lift_the_limit():
    """Holders in two threads overlap like this; the limit is the process's, not a thread's."""
    before = _blas_threads()
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    first, second = workers.one_blas_thread(), workers.one_blas_thread()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert _blas_threads() == [1] * len(before)
    second.__exit__(None, None, None)
    assert _blas_threads() == before
