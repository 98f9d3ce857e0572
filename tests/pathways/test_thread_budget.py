"""Projections run on one BLAS thread, whichever thread or request asks for them.

Checked in a fresh process: once a thread of the program has set OpenBLAS's thread count,
later settings from other threads may be ignored, so what earlier tests in the same
worker did would decide the outcome here instead of the code under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json; from tests.pathways.test_thread_budget import projection_blas_threads as p; "
    "print(json.dumps(p()))"
)


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def projection_blas_threads() -> tuple[list[int], list[list[int]], list[int]]:
    """BLAS threads before, during each combination step of, and after one projection."""
    from esgledger.catalog import load_catalog
    from esgledger.pathways import run_pathway
    from tests.pathways.conftest import make_baseline, scenario

    before = _blas_threads()
    seen: list[list[int]] = []
    projecting = import_module("esgledger.pathways.project")  # the package exports a function
    real_combine = projecting.combine

    def watched(*args, **kwargs):
        seen.append(_blas_threads())
        return real_combine(*args, **kwargs)

    projecting.combine = watched
    try:
        result = run_pathway(scenario(), make_baseline(), load_catalog(), samples=10)
    finally:
        projecting.combine = real_combine
    assert np.isfinite(result.rows[-1].total_t)
    return before, seen, _blas_threads()


def test_the_projection_runs_on_one_blas_thread_and_restores_it_after():
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, seen, after = json.loads(probe.stdout.splitlines()[-1])
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert after == before
