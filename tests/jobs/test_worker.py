"""A real worker process consumes the queue, on SQLite and on Redis: jobs run to the end
with their progress recorded, a graceful stop finishes the job in hand, a cancel stops a
job between steps, and a worker killed mid-job leaves a job that is run again or failed,
never "running" for ever."""

from __future__ import annotations

import signal

from esgledger.jobs import Jobs, JobStatus
from tests.jobs.conftest import settings_of, wait_until


def test_a_worker_process_runs_a_queued_job_and_records_its_steps(jobs, ledger_db, start_worker):
    start_worker()
    job = jobs.submit("ping", {"steps": 3}, "wang.fang", ledger_db)
    assert jobs.store.get(job.id).status is JobStatus.QUEUED
    done = wait_until(jobs, job.id, lambda j: j.finished)
    assert done.status is JobStatus.DONE
    assert (done.step, done.steps, done.result) == (3, 3, {"steps": 3})
    assert done.worker and done.started_at and done.finished_at >= done.started_at


def test_a_graceful_stop_finishes_the_job_in_hand_then_exits(jobs, ledger_db, start_worker):
    worker = start_worker()
    job = jobs.submit("ping", {"steps": 6, "pause_seconds": 0.3}, "wang.fang", ledger_db)
    wait_until(jobs, job.id, lambda j: j.status is JobStatus.RUNNING)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert jobs.store.get(job.id).status is JobStatus.DONE


def test_a_cancelled_job_stops_at_its_next_step(jobs, ledger_db, start_worker):
    start_worker()
    job = jobs.submit("ping", {"steps": 200, "pause_seconds": 0.1}, "wang.fang", ledger_db)
    wait_until(jobs, job.id, lambda j: j.step >= 1)
    jobs.cancel(job.id, "li.lei", ledger_db)
    ended = wait_until(jobs, job.id, lambda j: j.finished)
    assert ended.status is JobStatus.CANCELLED
    assert ended.step < 200


def test_a_job_cancelled_while_queued_never_runs(jobs, ledger_db, start_worker):
    job = jobs.submit("ping", {"steps": 2}, "wang.fang", ledger_db)
    jobs.cancel(job.id, "li.lei", ledger_db)
    follower = jobs.submit("ping", {"steps": 1}, "wang.fang", ledger_db)
    start_worker()
    wait_until(jobs, follower.id, lambda j: j.finished)
    cancelled = jobs.store.get(job.id)
    assert (cancelled.status, cancelled.started_at) == (JobStatus.CANCELLED, None)


def test_a_job_whose_worker_was_killed_is_run_again_by_the_next_worker(
    jobs, ledger_db, start_worker
):
    first = start_worker()
    job = jobs.submit("ping", {"steps": 8, "pause_seconds": 0.25}, "wang.fang", ledger_db)
    wait_until(jobs, job.id, lambda j: j.step >= 1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert jobs.store.get(job.id).status is JobStatus.RUNNING  # what the kill left behind
    start_worker()
    done = wait_until(jobs, job.id, lambda j: j.finished)
    assert (done.status, done.attempts) == (JobStatus.DONE, 2)


def test_a_job_that_keeps_losing_its_worker_ends_failed_with_the_reason(
    queue_env, ledger_db, start_worker
):
    jobs = Jobs(settings_of(queue_env, job_max_attempts=1))
    first = start_worker(ESGLEDGER_JOB_MAX_ATTEMPTS="1")
    job = jobs.submit("ping", {"steps": 50, "pause_seconds": 0.2}, "wang.fang", ledger_db)
    wait_until(jobs, job.id, lambda j: j.step >= 1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    start_worker(ESGLEDGER_JOB_MAX_ATTEMPTS="1")
    failed = wait_until(jobs, job.id, lambda j: j.finished)
    assert failed.status is JobStatus.FAILED
    assert failed.error.code == "jobs.worker_lost"
    assert "stopped 1 times" in failed.error.text("en")
    assert "任务进程" in failed.error.text("zh")
