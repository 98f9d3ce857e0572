"""What the queue costs: N trivial jobs submitted and run through it, against the same work
called directly, in the same run, on SQLite (the embedded default) and on Redis.

Run:  .venv/bin/python benchmarks/jobs_speed.py [--jobs 500] [--repeat 3] [--backends sqlite,redis]

Each job is a one-step ``ping`` (jobs/kinds/ping.py), so the figures are the queue's own
cost: the baseline runs the ping function N times in this process; "submit" checks, audits
(one ledger entry each), records and enqueues N jobs; "complete" is a worker in this process
taking all N off the queue, recording each start, step and end. Every repeat starts from a
fresh ledger and queue; the first repeat is shown apart (cold files and imports), then the
median and spread of the others. Redis needs 127.0.0.1:6379 (db 12, a key prefix of its own).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from esgledger.jobs import Jobs, JobStatus
from esgledger.jobs.kinds import ping
from esgledger.jobs.worker import Worker
from esgledger.ledger.database import migrate, open_database
from esgledger.settings import load_settings

REDIS_URL = "redis://127.0.0.1:6379/12"


@dataclass(frozen=True)
class Round:
    baseline: float  # seconds for N direct calls
    submit: float  # seconds to submit N jobs
    complete: float  # seconds for a worker to run them all
    done: int  # jobs that ended done with the direct call's result


class NoProgress:
    """What the direct calls report progress to: nothing."""

    def progress(self, step: int, steps: int, message: str) -> None:
        return None


def one_round(backend: str, count: int, folder: Path) -> Round:
    """Fresh ledger and queue; N direct calls, then N jobs through the queue."""
    ledger = f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
    database = open_database(ledger)
    migrate(database)
    given = {"db": ledger, "queue_name": f"bench-{uuid.uuid4().hex[:8]}"}
    if backend == "redis":
        given["queue_url"] = REDIS_URL
    jobs = Jobs(load_settings(**given))
    params = ping.PingParams(steps=1)
    started = time.perf_counter()
    expected = [ping.run(NoProgress(), params) for _ in range(count)]
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    ids = [jobs.submit("ping", {"steps": 1}, "bench", database).id for _ in range(count)]
    submit = time.perf_counter() - started
    started = time.perf_counter()
    Worker(jobs).run(until_empty=True)
    complete = time.perf_counter() - started
    ended = [jobs.store.get(job_id) for job_id in ids]
    done = sum(j.status is JobStatus.DONE and j.result == expected[0] for j in ended)
    _clean(jobs, ids, backend)
    database.dispose()
    return Round(baseline, submit, complete, done)


def _clean(jobs: Jobs, ids: list[str], backend: str) -> None:
    for job_id in ids:
        jobs.store.forget(job_id)
    if backend == "redis":
        jobs.queue.storage.flush_all()


def run(backends: list[str], count: int, repeat: int) -> dict[str, list[Round]]:
    rounds: dict[str, list[Round]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            rounds[backend] = [one_round(backend, count, Path(folder)) for _ in range(repeat)]
    return rounds


def describe(backend: str, count: int, rounds: list[Round]) -> list[str]:
    """Per-job milliseconds (first, then median ± spread of the warm rounds) and ratios."""
    warm = rounds[1:] or rounds

    def per_job(pick) -> str:
        values = [pick(r) * 1000 / count for r in warm]
        spread = (max(values) - min(values)) / 2
        first = pick(rounds[0]) * 1000 / count
        return f"first {first:8.3f}  median {statistics.median(values):8.3f} ± {spread:.3f}"

    base = statistics.median(r.baseline for r in warm) or 1e-9
    lines = [f"{backend}: {count} jobs x {len(rounds)} rounds (ms per job)"]
    lines.append(f"  direct call   {per_job(lambda r: r.baseline)}")
    lines.append(f"  submit        {per_job(lambda r: r.submit)}")
    lines.append(f"  complete      {per_job(lambda r: r.complete)}")
    total = statistics.median(r.submit + r.complete for r in warm)
    lines.append(f"  queue / direct: {total / base:,.0f}x ({total * 1000 / count:.2f} ms per job)")
    lines.append(
        f"  jobs done with the direct call's result: {min(r.done for r in rounds)}/{count}"
    )
    return lines


def main(argv: list[str] | None = None) -> dict[str, list[Round]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,redis")
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    rounds = run(backends, args.jobs, args.repeat)
    for backend, results in rounds.items():
        print("\n".join(describe(backend, args.jobs, results)))
    return rounds


if __name__ == "__main__":
    main()
