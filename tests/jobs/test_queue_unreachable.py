"""A queue that cannot be reached is one clear message naming it, never a traceback, and
nothing is half-done: no job record, no audit entry claiming a job was submitted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from esgledger.errors import ServiceUnavailable
from esgledger.jobs import Jobs
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.schema import AuditEntry
from esgledger.settings import load_settings

CLOSED = "redis://127.0.0.1:1/0"  # port 1: nothing listens there


def test_submitting_to_an_unreachable_queue_names_it_and_writes_nothing(ledger_url, ledger_db):
    jobs = Jobs(load_settings(db=ledger_url, queue_url=CLOSED))
    with pytest.raises(ServiceUnavailable) as raised:
        jobs.submit("ping", {}, "manager", ledger_db)
    assert str(raised.value).startswith(f"the job queue at {CLOSED} cannot be reached (")
    assert "ESGLEDGER_QUEUE_URL" in str(raised.value)
    assert "无法连接任务队列" in raised.value.text("zh")
    with unit_of_work(ledger_db) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_message_hides_the_queues_password(ledger_url):
    jobs = Jobs(load_settings(db=ledger_url, queue_url="redis://:s3cret@127.0.0.1:1/0"))
    with pytest.raises(ServiceUnavailable) as raised:
        jobs.store.all()
    assert "s3cret" not in str(raised.value) and ":***@127.0.0.1:1" in str(raised.value)


def test_the_command_line_prints_one_line_and_no_traceback(ledger_url):
    env = {"ESGLEDGER_QUEUE_URL": CLOSED, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [Path(sys.executable).with_name("esgledger"), "jobs", "list", "--db", ledger_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert f"the job queue at {CLOSED} cannot be reached" in done.stderr + done.stdout
