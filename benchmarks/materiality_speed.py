"""Scoring 5,000 survey responses and drawing the matrix, against a plain numpy baseline.

Run:  .venv/bin/python benchmarks/materiality_speed.py [--responses 5000] [--topics 30] [--repeat 7]

The responses are built as the register holds them (``materiality.responses`` records:
dimensions, topics, a flat score list, as ``survey.response_payload`` writes them), spread
over the seven stakeholder groups of the shipped method, each group rating the dimensions
its questionnaire asks. Timed: ``score_responses`` (records → columns → per-response
scores → group means → weighted topic scores → tiers) plus ``matrix_svg``. Budget: 2 s.

Baseline, same run, same responses: the same scores computed with numpy on a dense
(response × topic × dimension) array already in memory — what the scoring would cost with
no record decoding and no frame building. Before any timing, the two must agree on every
topic's impact and financial score (a baseline that computed less would flatter the ratio).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime

import numpy as np

from esgledger.ledger.reads.records import RecordView
from esgledger.materiality.matrix import Dot, matrix_svg
from esgledger.materiality.model import Method, load_method
from esgledger.materiality.scoring import score_responses
from esgledger.materiality.survey import Answer, response_payload

BUDGET_SECONDS = 2.0


class Responses:
    """``count`` random responses over ``topics`` topics, as records and as dense arrays."""

    def __init__(self, method: Method, count: int, topics: int, seed: int = 14) -> None:
        rng = np.random.default_rng(seed)
        self.method = method
        self.topics = [f"topic.{n:02d}" for n in range(topics)]
        self.dims = [d for part in method.dimensions.values() for d in part]
        groups = [g.id for g in method.stakeholder_groups]
        self.group_of = rng.integers(0, len(groups), count)
        self.ratings = rng.integers(1, 6, (count, topics, len(self.dims))).astype(float)
        asked = np.array([[d in method.asked(g) for d in self.dims] for g in groups])
        not_asked = np.broadcast_to(~asked[self.group_of][:, None, :], self.ratings.shape)
        self.ratings[not_asked] = np.nan  # dimensions a group's questionnaire does not ask
        self.records = [self._record(n, groups[g]) for n, g in enumerate(self.group_of)]

    def _record(self, number: int, group: str) -> RecordView:
        answers = [
            Answer(topic, dim, int(self.ratings[number, t, d]))
            for t, topic in enumerate(self.topics)
            for d, dim in enumerate(self.dims)
            if not np.isnan(self.ratings[number, t, d])
        ]
        payload = response_payload(2024, group, answers)
        return RecordView("materiality.responses", f"r{number}", 1, None, payload, False,
                          "survey", datetime.now(UTC), None, number)  # fmt: skip


def esgledger_scores(data: Responses) -> tuple[dict[str, tuple[float, float]], str]:
    """What the product does: score the records, draw the matrix."""
    scores = score_responses(data.records, data.method)
    dots = [
        Dot(n, row["topic"], row["impact"], row["financial"], row["tier"])
        for n, row in enumerate(scores.to_dicts(), 1)
    ]
    svg = matrix_svg(dots, data.method, x_label="financial", y_label="impact", title="bench")
    return {row["topic"]: (row["impact"], row["financial"]) for row in scores.to_dicts()}, svg


def numpy_baseline(data: Responses) -> dict[str, tuple[float, float]]:
    """The same formulas on the dense array: per response, group mean, weighted mean."""
    top, r = float(data.method.scale.max), data.ratings
    impact = r[..., 0:3].mean(axis=2) * r[..., 3] / top  # (response, topic)
    financial = r[..., 4] * r[..., 5] / top
    weights = np.array([g.weight for g in data.method.stakeholder_groups])
    result = []
    for part in (impact, financial):
        means = np.array([np.nanmean(part[data.group_of == g], axis=0) if
                          np.any(~np.isnan(part[data.group_of == g])) else
                          np.full(part.shape[1], np.nan)
                          for g in range(len(weights))])  # fmt: skip
        rated = ~np.isnan(means)
        total = (np.where(rated, means, 0.0) * weights[:, None]).sum(axis=0)
        result.append(total / (rated * weights[:, None]).sum(axis=0))
    return {t: (result[0][i], result[1][i]) for i, t in enumerate(data.topics)}


def check_agreement(ours: dict, baseline: dict) -> None:
    """Both compute every topic's two scores alike, or the timing means nothing."""
    assert set(ours) == set(baseline), "the baseline and esgledger score different topics"
    for topic, (impact, financial) in ours.items():
        expected = baseline[topic]
        assert abs(impact - expected[0]) < 1e-9 and abs(financial - expected[1]) < 1e-9, topic


def timed(run, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (all threads of the process) of each run."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def describe(name: str, seconds: tuple[list[float], list[float]]) -> str:
    wall, cpu = seconds
    warm = wall[1:] or wall
    return (f"{name:<28} first {wall[0] * 1000:8.1f} ms   warm median "
            f"{statistics.median(warm) * 1000:8.1f} ms   fastest {min(warm) * 1000:8.1f} ms   "
            f"spread {(max(warm) - min(warm)) * 1000:6.1f} ms   "
            f"CPU median {statistics.median(cpu[1:] or cpu) * 1000:8.1f} ms")  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--topics", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    data = Responses(load_method(), args.responses, args.topics)
    check_agreement(esgledger_scores(data)[0], numpy_baseline(data))
    ours = timed(lambda: esgledger_scores(data), args.repeat)
    base = timed(lambda: numpy_baseline(data), args.repeat)
    print(f"{args.responses:,} responses × {args.topics} topics × {len(data.dims)} dimensions")
    print(describe("esgledger (score + matrix)", ours))
    print(describe("numpy baseline (dense)", base))
    fastest = min(ours[0][1:] or ours[0])
    ratio = statistics.median(ours[0][1:] or ours[0]) / statistics.median(base[0][1:] or base[0])
    within = fastest < BUDGET_SECONDS
    print(f"ratio esgledger / baseline (warm medians): {ratio:.1f}×")
    print(f"budget {BUDGET_SECONDS:.1f} s on the fastest warm run: "
          f"{'within' if within else 'OVER'}   (load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs: a loaded machine stretches the wall clock)")  # fmt: skip
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
