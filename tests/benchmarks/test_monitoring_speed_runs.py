"""The monitoring benchmark at a tiny size: it runs, and its rollup agrees with the rows.

``monitored_insert`` asserts that every generated reading was stored and that the month's
rollup equals the sum of the generated values, so a benchmark timing a path that dropped
or double-counted readings fails here before it could print a ratio.
"""

from __future__ import annotations

import importlib.util
import math
import socket
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


def load_benchmark():
    sys.path.insert(0, str(BENCHMARKS))  # the script imports scratch_schema beside it
    spec = importlib.util.spec_from_file_location(
        "monitoring_speed", BENCHMARKS / "monitoring_speed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def broker_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=2).close()
    except OSError:
        return False
    return True


def test_ingest_and_rollup_at_a_tiny_size_on_sqlite(capsys):
    figures = load_benchmark().main(["--meters", "3", "--days", "2", "--backend", "sqlite",
                                     "--skip-latency"])  # fmt: skip
    assert figures["ratio"] > 0
    assert "ratio median" in capsys.readouterr().out


@pytest.mark.skipif(not broker_up(), reason="no MQTT broker at 127.0.0.1:1883")
def test_message_to_alert_at_a_tiny_rate(capsys):
    figures = load_benchmark().main(["--meters", "2", "--days", "1", "--backend", "sqlite",
                                     "--rate", "100", "--seconds", "1"])  # fmt: skip
    assert not math.isnan(figures["latency"]) and figures["latency"] >= 0
    assert "message to alert" in capsys.readouterr().out


def test_a_rollup_that_loses_readings_fails_the_benchmark(monkeypatch):
    module = load_benchmark()
    frame = module.readings(2, 1)
    monkeypatch.setattr(
        module,
        "readings",
        lambda meters, days: frame.head(frame.height - 1).vstack(
            frame.tail(1).with_columns(value=frame["value"].tail(1) * 0 - 1)
        ),
    )
    with pytest.raises(AssertionError):
        module.main(["--meters", "2", "--days", "1", "--backend", "sqlite", "--skip-latency"])
