"""Projections run on one BLAS thread, whichever thread or request asks for them."""

from __future__ import annotations

from importlib import import_module

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from esgledger.catalog import load_catalog
from esgledger.pathways import run_pathway
from tests.pathways.conftest import scenario


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_the_projection_runs_on_one_blas_thread_and_restores_it_after(baseline, monkeypatch):
    before = _blas_threads()
    if not before:
        pytest.skip("numpy was built without a BLAS library that threadpoolctl can see")
    seen: list[list[int]] = []
    projecting = import_module("esgledger.pathways.project")  # the package exports a function
    real_combine = projecting.combine

    def watched(*args, **kwargs):
        seen.append(_blas_threads())
        return real_combine(*args, **kwargs)

    monkeypatch.setattr(projecting, "combine", watched)
    result = run_pathway(scenario(), baseline, load_catalog(), samples=10)
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert _blas_threads() == before
    assert np.isfinite(result.rows[-1].total_t)
