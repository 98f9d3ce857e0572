"""The one doorway to jobs for the CLI, the API and the web pages: submit, read, cancel.

A submitted job is checked (its kind and parameters) before it is queued, and who asked
is written to the audit log; the job's own progress is not audited (it is operational).
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import TYPE_CHECKING, Any

from huey import crontab

from esgledger.errors import EsgError
from esgledger.jobs.kinds import checked_params, kind_named
from esgledger.jobs.model import Job, JobStatus, now
from esgledger.jobs.queue import open_queue, queue_url, reachable
from esgledger.jobs.runner import execute_job
from esgledger.jobs.store import JobStore
from esgledger.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

TASK_NAME = "esgledger.run_job"
REMINDERS_TASK = "esgledger.campaign_reminders"
SYSTEM = "system"


class Jobs:
    """The queue named by ``settings`` with its job records."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue = open_queue(settings)
        self.store = JobStore(self.queue, queue_url(settings))
        self.task = self.queue.task(name=TASK_NAME)(self.run)
        # once a day at the reminder hour (reporting time zone): the campaign reminders job
        every_day = crontab(minute="0", hour=str(settings.reminder_hour))
        self.queue.periodic_task(every_day, name=REMINDERS_TASK)(self.submit_reminders)

    def close(self) -> None:
        """Close the queue's connection (a SQLite file handle or a Redis pool); the next use
        opens it again."""
        self.queue.storage.close()

    def run(self, job_id: str) -> None:
        """What a worker does with a queued job id (also the inline path of the CLI)."""
        execute_job(self.settings, self.store, job_id, worker_name())

    def submit(self, kind: str, params: dict[str, Any], requested_by: str, database: Engine) -> Job:
        """Check, audit and queue a job.

        Raises:
            EsgError: no such kind, or its parameters are not usable.
            ServiceUnavailable: the queue cannot be reached (nothing was queued or audited).
        """
        job_kind = kind_named(kind)
        job = Job(
            id=uuid.uuid4().hex[:12],
            kind=job_kind.name,
            params=checked_params(job_kind, params),
            requested_by=requested_by,
            requested_at=now(),
        )
        self.store.save(job)
        with reachable(self.store.url):
            self.task(job.id)
        _audit(database, requested_by, "job.submit", {"job": job.id, "kind": kind, **job.params})
        return job

    def submit_reminders(self) -> None:
        """The periodic task: queue the day's campaign reminders as a job of their own, so
        that the run is on the jobs page with its result like any other."""
        from esgledger.ledger.database import open_database

        database = open_database(self.settings.db)
        try:
            self.submit("campaign_reminders", {}, SYSTEM, database)
        finally:
            database.dispose()

    def requeue(self, job: Job) -> None:
        """Put a job whose worker died back on the queue (jobs/recovery.py)."""
        job.status, job.message = JobStatus.QUEUED, "queued again: its worker stopped"
        self.store.save(job)
        with reachable(self.store.url):
            self.task(job.id)

    def cancel(self, job_id: str, by: str, database: Engine) -> Job:
        """Ask a job to stop: a queued one never starts, a running one stops at its next
        step. A finished job is left as it is.

        Raises:
            NotFoundError: no such job.
        """
        job = self.store.get(job_id)
        if job.finished:
            raise EsgError(
                f"job {job_id} has already ended ({job.status.value}); nothing to cancel",
                code="jobs.already_finished",
                params={"job": job_id, "status": job.status.value},
            )
        _audit(database, by, "job.cancel", {"job": job_id, "kind": job.kind})
        self.store.request_cancel(job_id)
        if job.status is JobStatus.QUEUED:
            job.status, job.finished_at, job.message = JobStatus.CANCELLED, now(), "cancelled"
            self.store.save(job)
        return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _audit(database: Engine, actor: str, action: str, detail: dict[str, Any]) -> None:
    from esgledger.ledger import audit
    from esgledger.ledger.database import unit_of_work

    with unit_of_work(database) as session:
        audit.record(session, actor, action, detail)
