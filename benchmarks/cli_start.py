"""How long `esgledger --help` takes to start, against a bare interpreter in the same run.

Run:  .venv/bin/python benchmarks/cli_start.py [--runs 7]

Each run is a fresh process (``python -m esgledger.cli.main --help``); the baselines are
``python -c pass``, ``import typer`` and a two-command Typer app printing its ``--help`` (the
floor of any command line with Rich help), measured alternately with it, so load from other
work on the machine moves all alike. Prints the median and the spread of each, what the
command line costs over a bare interpreter, and its ratio to the Typer app. The CPU time
(user + system) is printed too: on a shared machine the wall time is mostly waiting for a
core, and the CPU time is what the same start costs on an idle one.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

# The floor of any Typer command line with Rich help: two commands, nothing else imported.
TWO_COMMAND_APP = (
    "import typer\n"
    "app = typer.Typer()\n"
    "app.command('a')(lambda: None)\n"
    "app.command('b')(lambda: None)\n"
    "app(['--help'], prog_name='floor')\n"
)
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import typer": [sys.executable, "-c", "import typer"],
    "typer app --help": [sys.executable, "-c", TWO_COMMAND_APP],
    "esgledger --help": [sys.executable, "-m", "esgledger.cli.main", "--help"],
}


FLOOR = "typer app --help"


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds from start to exit of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    timed(COMMANDS["esgledger --help"])  # warm the file cache, not counted
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            wall, used = timed(argv)
            times[name].append(wall)
            cpu[name].append(used)
    for name, seconds in times.items():
        print(
            f"{name:<18} median {statistics.median(seconds) * 1000:7.0f} ms wall, "
            f"{statistics.median(cpu[name]) * 1000:5.0f} ms CPU  "
            f"(wall min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f}; {runs} runs)"
        )
    median = {name: statistics.median(seconds) for name, seconds in times.items()}
    median_cpu = {name: statistics.median(seconds) for name, seconds in cpu.items()}
    extra = median["esgledger --help"] - median["python -c pass"]
    extra_cpu = median_cpu["esgledger --help"] - median_cpu["python -c pass"]
    print(
        f"--help costs {extra * 1000:.0f} ms wall ({extra_cpu * 1000:.0f} ms CPU) "
        f"over a bare interpreter; {median['esgledger --help'] / median[FLOOR]:.2f}x the wall "
        f"time of a two-command Typer app's --help "
        f"({median_cpu['esgledger --help'] / median_cpu[FLOOR]:.2f}x its CPU); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
