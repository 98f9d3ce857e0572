"""Background jobs on a real queue: report builds, long calculations, rollups and notifications
run outside the request, with progress.

The queue is huey's: SQLite beside the ledger by default, Redis when ESGLEDGER_QUEUE_URL
says so (jobs/queue.py). :class:`Jobs` (jobs/service.py) submits, reads and cancels; a
:class:`Worker` (jobs/worker.py) runs them; each kind of job is in jobs/kinds/.
"""

from esgledger.jobs.model import Job, JobError, JobStatus
from esgledger.jobs.service import Jobs

__all__ = ["Job", "JobError", "JobStatus", "Jobs"]
