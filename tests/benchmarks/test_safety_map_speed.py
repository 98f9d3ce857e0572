"""The safety map benchmark at a tiny size, so that it keeps running and keeps drawing
every point it times."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "safety_map_speed.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("safety_map_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_timed_maps_hold_every_point():
    bench = load_benchmark()
    drawn = bench.render_map("S", bench.points(12), bench.PLAN)
    assert drawn.count("<circle") == 12
    assert {"red", "orange", "yellow", "blue"} >= {p.grade for p in bench.points(12)}


def test_the_benchmark_runs_at_a_tiny_size_and_reports_against_its_baseline():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--points", "10", "--repeat", "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "baseline" in done.stdout and "budget" in done.stdout
