"""The job record: what was asked, by whom, how far it got and how it ended.

Job state is operational, not ledger data: it lives beside the queue (jobs/store.py), is
not audited field by field, and may be pruned. Who started which job is in the audit log
(jobs/submit.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from esgledger.errors import EsgError, render


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


class JobError(BaseModel):
    """A failure as the user reads it: a coded message (both languages), never a traceback."""

    message: str
    code: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, exc: EsgError) -> JobError:
        params = {key: _plain(value) for key, value in exc.params.items()}
        return cls(message=str(exc), code=exc.code, params=params)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (its catalogue text when it has a code)."""
        return render(self.code, lang, **self.params) if self.code else self.message


class Job(BaseModel):
    id: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    status: JobStatus = JobStatus.QUEUED
    step: int = 0  # steps finished
    steps: int = 0  # steps in all (0 until the job knows)
    message: str = ""  # what it is doing now
    requested_by: str
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0  # runs started (a job whose worker died is run again)
    worker: str | None = None
    error: JobError | None = None
    result: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """How far along, 0-100 (a finished job is at 100 whatever its steps)."""
        if self.status is JobStatus.DONE:
            return 100
        return round(100 * self.step / self.steps) if self.steps else 0


def now() -> datetime:
    return datetime.now(UTC)


def _plain(value: object) -> object:
    """A parameter as JSON can keep it."""
    return value if isinstance(value, str | int | float | bool | None) else str(value)
