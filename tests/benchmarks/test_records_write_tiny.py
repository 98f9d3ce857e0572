"""The records benchmark at a tiny size, so that it cannot rot: both timings run, the sealed
write verifies, and the line it prints names both rates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "records_write.py"


def test_the_records_benchmark_runs_and_verifies(capsys):
    sys.path.insert(0, str(SCRIPT.parent))  # it imports scratch_schema from its folder
    try:
        spec = importlib.util.spec_from_file_location("records_write", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main(["--rows", "300", "--backend", "sqlite"])
    finally:
        sys.path.remove(str(SCRIPT.parent))
    line = capsys.readouterr().out
    assert "raw executemany" in line and "append_records (sealed)" in line and "300" in line
