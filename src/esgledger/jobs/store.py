"""Job records kept in the queue's own storage (huey's key-value store).

Three keys per job, so that no two writers overwrite each other's fields: the record
(written by whoever owns the job at the time: the submitter, then the worker running it),
a cancel request (written by whoever cancels), and a heartbeat (the running worker's
clock, read to find jobs whose worker died).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from huey import Huey
from huey.constants import EmptyData

from esgledger.errors import NotFoundError
from esgledger.jobs.model import Job, now
from esgledger.jobs.queue import reachable

RECORD = "esgledger.job:"
CANCEL = "esgledger.job-cancel:"
BEAT = "esgledger.job-beat:"


Method = TypeVar("Method", bound=Callable[..., Any])


def _guarded(method: Method) -> Method:
    """Every storage call answers "the queue cannot be reached" as one clear error."""

    @functools.wraps(method)
    def call(self: JobStore, *args: Any, **kwargs: Any) -> Any:
        with reachable(self.url):
            return method(self, *args, **kwargs)

    return call  # type: ignore[return-value]


class JobStore:
    """Reads and writes job records in ``queue``'s storage (at ``url``, for messages)."""

    def __init__(self, queue: Huey, url: str) -> None:
        self.queue = queue
        self.storage = queue.storage
        self.url = url

    @_guarded
    def save(self, job: Job) -> None:
        self.storage.put_data(RECORD + job.id, job.model_dump_json().encode())

    @_guarded
    def get(self, job_id: str) -> Job:
        """The job ``job_id``.

        Raises:
            NotFoundError: no such job.
        """
        data = self.storage.peek_data(RECORD + job_id)
        if data is EmptyData:
            raise NotFoundError(
                f"no job {job_id}; `esgledger jobs list` shows the jobs there are",
                code="jobs.not_found",
                params={"job": job_id},
            )
        return Job.model_validate_json(data)

    @_guarded
    def all(self) -> list[Job]:
        """Every job, newest request first."""
        items = self.storage.result_items()
        jobs = [Job.model_validate_json(v) for k, v in items.items() if k.startswith(RECORD)]
        return sorted(jobs, key=lambda job: job.requested_at, reverse=True)

    @_guarded
    def request_cancel(self, job_id: str) -> None:
        self.storage.put_data(CANCEL + job_id, b"1")

    @_guarded
    def cancel_requested(self, job_id: str) -> bool:
        return self.storage.peek_data(CANCEL + job_id) is not EmptyData

    @_guarded
    def beat(self, job_id: str) -> None:
        """The running worker is alive and still on this job."""
        self.storage.put_data(BEAT + job_id, now().isoformat().encode())

    @_guarded
    def last_beat(self, job_id: str) -> datetime | None:
        data = self.storage.peek_data(BEAT + job_id)
        return None if data is EmptyData else datetime.fromisoformat(data.decode())

    @_guarded
    def forget(self, job_id: str) -> None:
        """Remove the job's keys (pruning old records)."""
        for prefix in (RECORD, CANCEL, BEAT):
            self.storage.delete_data(prefix + job_id)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
