"""Jobs whose worker died: never left "running" forever.

A running job's worker writes a heartbeat every quarter of ``job_stale_seconds``. A job
still marked running whose beat is older than that lost its worker (killed, machine
restarted): it is queued again while it has attempts left (``job_max_attempts``), else
marked failed with a message saying so. Every worker sweeps at start and then regularly,
and forgets the records of jobs that ended more than ``job_keep_days`` ago (the audit log
keeps who asked for them).
"""

from __future__ import annotations

from datetime import timedelta

from esgledger.jobs.model import Job, JobError, JobStatus, now
from esgledger.jobs.service import Jobs


def lost_jobs(jobs: Jobs) -> list[Job]:
    """Running jobs whose heartbeat is older than the stale limit."""
    limit = now() - timedelta(seconds=jobs.settings.job_stale_seconds)
    lost = []
    for job in jobs.store.all():
        if job.status is not JobStatus.RUNNING:
            continue
        beat = jobs.store.last_beat(job.id) or job.started_at
        if beat is None or beat < limit:
            lost.append(job)
    return lost


def recover(jobs: Jobs) -> list[Job]:
    """Requeue or fail each lost job; the jobs handled."""
    handled = lost_jobs(jobs)
    for job in handled:
        if job.attempts < jobs.settings.job_max_attempts:
            jobs.requeue(job)
        else:
            job.status, job.finished_at = JobStatus.FAILED, now()
            job.error = JobError(
                message=f"the worker running job {job.id} stopped {job.attempts} times "
                "before it finished; look at the workers' logs, then submit it again",
                code="jobs.worker_lost",
                params={"job": job.id, "attempts": job.attempts},
            )
            jobs.store.save(job)
    return handled


def forget_old(jobs: Jobs) -> int:
    """Forget the records of jobs that ended more than ``job_keep_days`` ago; how many."""
    limit = now() - timedelta(days=jobs.settings.job_keep_days)
    old = [j for j in jobs.store.all() if j.finished and j.finished_at and j.finished_at < limit]
    for job in old:
        jobs.store.forget(job.id)
    return len(old)
