"""Safety map speed: a site's four-colour risk map with 500 risk points, budget 1 s.

Run:  .venv/bin/python benchmarks/safety_map_speed.py [--points 500] [--repeat 7]

Timed in the same process: the map of ``--points`` risk points (LEC graded, half placed
on the plan, half without a place and put on grid cells), drawn on a plan image and on the
grid; and, as the baseline, the same SVG with one point, so the ratio shows what the points
cost over the fixed part of the drawing. First (cold: the LEC data read and cached) and
warm runs are shown; warm as the median and spread of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

from esgledger.safety.lec import lec_method, lec_score
from esgledger.safety.riskmap import MapPoint, Plan, render_map

BUDGET_SECONDS = 1.0
PLAN = Plan("data:image/png;base64,iVBORw0KGgo=", 2400, 1600)


def points(count: int) -> list[MapPoint]:
    """``count`` risk points cycling over the LEC scales; every second one without a place."""
    scales = lec_method().scales
    combos = itertools.cycle(itertools.product(scales["L"], scales["E"], scales["C"]))
    made = []
    for index in range(count):
        l_, e, c = next(combos)
        score, grade = lec_score(l_, e, c)
        placed = index % 2 == 0
        x, y = ((index * 37 % 100) / 100, (index * 53 % 100) / 100) if placed else (None, None)
        made.append(
            MapPoint(f"RP-{index:04d}", f"风险点 {index}", grade.id, format(score, "f"), x, y)
        )
    return made


def timed(work: Callable[[], str], repeat: int) -> tuple[float, list[float], int]:
    start = time.perf_counter()
    size = len(work())
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        warm.append(time.perf_counter() - start)
    return first, warm, size


def measure(count: int, repeat: int) -> dict[str, tuple[float, list[float], int]]:
    lec_method.cache_clear()
    cold_points = points(count)
    many = timed(lambda: render_map("SMELT-HYD", cold_points, PLAN), repeat)
    grid = timed(lambda: render_map("SMELT-HYD", cold_points, None), repeat)
    one = points(1)
    baseline = timed(lambda: render_map("SMELT-HYD", one, PLAN), repeat)
    return {"plan": many, "grid": grid, "baseline (1 point)": baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = measure(args.points, args.repeat)
    base = statistics.median(results["baseline (1 point)"][1])
    print(f"four-colour map, {args.points} points, {args.repeat} warm runs")
    for name, (first, warm, size) in results.items():
        median = statistics.median(warm)
        spread = max(warm) - min(warm)
        print(
            f"  {name:20s} first {first * 1000:8.2f} ms  warm median {median * 1000:8.2f} ms "
            f"(spread {spread * 1000:.2f} ms)  {size:,} bytes  x{median / base:.1f} baseline"
        )
    worst = max(max(results[n][0], *results[n][1]) for n in ("plan", "grid"))
    verdict = "within" if worst < BUDGET_SECONDS else "OVER"
    print(f"slowest run {worst * 1000:.1f} ms: {verdict} the {BUDGET_SECONDS:.0f} s budget")


if __name__ == "__main__":
    main()
