"""The jobs benchmark at a tiny size, so that it cannot rot: every job it queues must end
done with the same result as the direct call it is compared with (a benchmark whose jobs
failed fast would time nothing), on SQLite and on Redis."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.jobs.conftest import redis_available

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "jobs_speed.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("jobs_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_every_benchmarked_job_completes_with_the_direct_calls_result(backend, capsys):
    if backend == "redis" and (problem := redis_available()):
        pytest.skip(problem)
    rounds = load_benchmark().main(["--jobs", "4", "--repeat", "2", "--backends", backend])
    assert [r.done for r in rounds[backend]] == [4, 4]
    printed = capsys.readouterr().out
    assert "queue / direct" in printed and "4/4" in printed
