"""Run one job: mark it running, run its kind, record how it ended.

A user's mistake (an EsgError) ends the job *failed* with its message in both languages; a
fault in esgledger ends it failed with a short message naming the job, its traceback going
to the worker's log only. A heartbeat thread keeps the job's beat fresh while it runs, so a
job whose worker dies is found (jobs/recovery.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from esgledger.errors import EsgError
from esgledger.jobs.context import JobCancelled, JobContext
from esgledger.jobs.kinds import kind_named
from esgledger.jobs.model import Job, JobError, JobStatus, now
from esgledger.jobs.store import JobStore
from esgledger.settings import Settings

log = logging.getLogger(__name__)


def execute_job(settings: Settings, store: JobStore, job_id: str, worker: str) -> Job:
    """Run ``job_id`` unless it already ended or was cancelled while queued."""
    job = store.get(job_id)
    if job.finished:
        return job
    if store.cancel_requested(job_id):
        return _end(store, job, JobStatus.CANCELLED)
    job.status, job.worker, job.started_at = JobStatus.RUNNING, worker, now()
    job.attempts += 1
    job.error = None
    store.save(job)
    context = JobContext(settings, store, job)
    with _heartbeat(store, job_id, settings.job_stale_seconds / 4):
        try:
            kind = kind_named(job.kind)
            job.result = kind.run(context, kind.params.model_validate(job.params))
        except JobCancelled:
            return _end(store, job, JobStatus.CANCELLED)
        except EsgError as exc:
            return _end(store, job, JobStatus.FAILED, JobError.of(exc))
        except Exception:  # a fault in esgledger: the log has the traceback, the user a line
            log.exception("job %s (%s) failed", job.id, job.kind)
            return _end(store, job, JobStatus.FAILED, internal_error(job))
        finally:
            context.close()
    job.step = job.steps = max(job.steps, 1)
    return _end(store, job, JobStatus.DONE)


def internal_error(job: Job) -> JobError:
    return JobError(
        message=f"job {job.id} ({job.kind}) stopped on an internal error; the worker's log "
        "has the details: report it with the job number",
        code="jobs.internal",
        params={"job": job.id, "kind": job.kind},
    )


def _end(store: JobStore, job: Job, status: JobStatus, error: JobError | None = None) -> Job:
    job.status, job.error, job.finished_at = status, error, now()
    if status is JobStatus.CANCELLED:
        job.message = "cancelled"
    store.save(job)
    return job


@contextmanager
def _heartbeat(store: JobStore, job_id: str, every: float) -> Iterator[None]:
    """Beat every ``every`` seconds while the body runs (a step may take minutes)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                store.beat(job_id)
            except Exception:  # a storage hiccup: the next beat tries again
                log.warning("job %s: heartbeat not written", job_id, exc_info=True)

    store.beat(job_id)
    thread = threading.Thread(target=beat, name=f"beat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
