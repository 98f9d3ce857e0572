"""The worker: takes jobs off the queue one at a time until told to stop.

`esgledger worker` runs it in the foreground (a service manager keeps it running). A first
SIGTERM or SIGINT is a graceful stop: the job in hand finishes, no new one is taken. A
second one stops at once; the job it leaves is found by the recovery sweep of the next
worker (jobs/recovery.py). `esgledger serve` runs one in a thread so that the embedded
setup needs no second command.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime
from types import FrameType

from esgledger.jobs.recovery import forget_old, recover
from esgledger.jobs.service import Jobs
from esgledger.reporting_time import reporting_zone

log = logging.getLogger(__name__)
IDLE_PAUSE_SECONDS = 0.2  # between looks at an empty SQLite queue (Redis blocks instead)


class Worker:
    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs
        self.stopping = threading.Event()
        self.handled = 0
        self.thread: threading.Thread | None = None  # when started by start_in_thread

    def run(self, *, until_empty: bool = False) -> int:
        """Consume jobs; with ``until_empty`` return once the queue is empty. The number
        of jobs handled."""
        sweep_every = self.jobs.settings.job_stale_seconds / 2
        next_sweep = 0.0
        minute = int(time.time() // 60)
        while not self.stopping.is_set():
            if int(time.time() // 60) != minute:
                minute = int(time.time() // 60)
                self.enqueue_periodic(self.local_now())
            if time.monotonic() >= next_sweep:
                recover(self.jobs)
                forget_old(self.jobs)
                next_sweep = time.monotonic() + sweep_every
            task = self.jobs.queue.dequeue()
            if task is None:
                if until_empty:
                    break
                self.stopping.wait(IDLE_PAUSE_SECONDS)
                continue
            self.jobs.queue.execute(task)
            self.handled += 1
        return self.handled

    def local_now(self) -> datetime:
        """Now in the reporting time zone, naive: the clock the periodic tasks are set by."""
        zone = reporting_zone(self.jobs.settings.timezone)
        return datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)

    def enqueue_periodic(self, at: datetime) -> int:
        """Queue the periodic tasks due at the minute ``at`` (the daily campaign reminders);
        how many. huey's own consumer does this every minute; this worker is not huey's
        consumer, so it asks the same question itself."""
        due = self.jobs.queue.read_periodic(at)
        for task in due:
            self.jobs.queue.enqueue(task)
        return len(due)

    def stop(self) -> None:
        self.stopping.set()

    def stop_and_wait(self, seconds: float = 30) -> None:
        """Stop, and wait for the job in hand to finish (at most ``seconds``)."""
        self.stop()
        if self.thread is not None:
            self.thread.join(seconds)

    def install_signal_handlers(self) -> None:
        """First signal: finish the job in hand, then stop. Second: stop now."""

        def handle(signum: int, _frame: FrameType | None) -> None:
            if self.stopping.is_set():
                raise SystemExit(128 + signum)
            log.warning("stopping after the job in hand (signal again to stop now)")
            self.stop()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


def start_in_thread(jobs: Jobs) -> Worker:
    """A worker on a daemon thread (the embedded setup of `esgledger serve`)."""
    worker = Worker(jobs)
    worker.thread = threading.Thread(target=worker.run, name="esgledger-worker", daemon=True)
    worker.thread.start()
    return worker
