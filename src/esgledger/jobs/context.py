"""What a running job is given: its settings, who asked, a way to report progress and to
be told it was cancelled, and the ledger database (opened on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from esgledger.errors import EsgError
from esgledger.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from esgledger.jobs.model import Job
    from esgledger.jobs.store import JobStore


class JobCancelled(EsgError):
    """Raised at a progress step after someone asked the job to stop."""


@dataclass
class JobContext:
    settings: Settings
    store: JobStore
    job: Job
    _database: Engine | None = field(default=None, repr=False)

    @property
    def requested_by(self) -> str:
        return self.job.requested_by

    def progress(self, step: int, steps: int, message: str) -> None:
        """Record that ``step`` of ``steps`` is done and what comes next; stop here if a
        cancel was asked for (steps are the points where stopping leaves nothing half done).

        Raises:
            JobCancelled: someone cancelled the job.
        """
        self.job.step, self.job.steps, self.job.message = step, steps, message
        self.store.save(self.job)
        self.store.beat(self.job.id)
        if self.store.cancel_requested(self.job.id):
            raise JobCancelled(
                f"job {self.job.id} was cancelled at step {step} of {steps}",
                code="jobs.cancelled",
                params={"job": self.job.id, "step": step, "steps": steps},
            )

    def database(self) -> Engine:
        """The ledger, checked to be at the current schema."""
        if self._database is None:
            from esgledger.ledger.database import open_database, require_current_schema

            self._database = open_database(self.settings.db)
            require_current_schema(self._database)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
