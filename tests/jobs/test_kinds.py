"""Each kind of job against real parts: mail through a real SMTP server (aiosmtpd, started
here), failures shown as the user's message and never a traceback, submissions in the
audit log, and parameters checked before anything is queued."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from esgledger.errors import EsgError
from esgledger.jobs import Jobs, JobStatus
from esgledger.jobs.worker import Worker
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.audit_log import AuditFilter, audit_entries
from tests.jobs.conftest import settings_of


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    """A port nothing listens on (aiosmtpd's start-up check cannot use port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def sqlite_jobs(ledger_url, tmp_path):
    return lambda **more: Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, **more))


def test_the_mail_job_delivers_through_the_configured_smtp_server(
    sqlite_jobs, ledger_db, smtp_server
):
    controller, inbox = smtp_server
    jobs = sqlite_jobs(smtp_port=controller.port, smtp_from="esg@baotou-re.example")
    to = ["hse@baotou-re.example", "energy@baotou-re.example"]
    job = jobs.submit(
        "mail", {"to": to, "subject": "能耗预警", "body": "1号窑 超限"}, "ops", ledger_db
    )
    jobs.run(job.id)
    done = jobs.store.get(job.id)
    assert done.status is JobStatus.DONE, done.error
    assert done.result == {"sent_to": to, "refused": []}
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "esg@baotou-re.example"
    assert envelope.rcpt_tos == to
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Subject"] == "能耗预警"
    assert message.get_content().strip() == "1号窑 超限"


def test_a_mail_server_that_is_down_fails_the_job_with_a_message(sqlite_jobs, ledger_db):
    port = free_port()
    jobs = sqlite_jobs(smtp_port=port)
    job = jobs.submit(
        "mail", {"to": ["a@example.com"], "subject": "s", "body": "b"}, "ops", ledger_db
    )
    jobs.run(job.id)
    failed = jobs.store.get(job.id)
    assert failed.status is JobStatus.FAILED
    assert failed.error.code == "jobs.smtp_failed"
    assert f"127.0.0.1:{port}" in failed.error.text("en")
    assert "邮件服务器" in failed.error.text("zh")


def test_the_command_line_shows_a_failed_job_as_its_message_not_a_traceback(ledger_url):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "esgledger.cli.main",
            "--lang",
            "zh",
            "jobs",
            "submit",
            "mail",
            "-p",
            'to=["a@example.com"]',
            "-p",
            "subject=s",
            "-p",
            "body=b",
            "--inline",
            "--db",
            ledger_url,
        ],
        capture_output=True,
        text=True,
        env={"ESGLEDGER_SMTP_PORT": "9", "PATH": ""},
    )
    assert run.returncode != 0
    assert "邮件服务器 127.0.0.1:9" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_a_fault_inside_a_job_is_a_short_message_naming_the_job(sqlite_jobs, ledger_db):
    jobs = sqlite_jobs()
    job = jobs.submit("report", {"year": 2024}, "zhang.wei", ledger_db)
    jobs.run(job.id)  # the ledger has no organisation: a user-facing error, said as such
    failed = jobs.store.get(job.id)
    assert failed.status is JobStatus.FAILED
    assert "Traceback" not in failed.error.message
    assert failed.error.message


def test_who_started_and_cancelled_a_job_is_in_the_audit_log(sqlite_jobs, ledger_db):
    jobs = sqlite_jobs()
    job = jobs.submit("ping", {"steps": 2}, "zhang.wei", ledger_db)
    jobs.cancel(job.id, "li.lei", ledger_db)
    with unit_of_work(ledger_db) as session:
        entries = [(e.actor, e.action, e.detail) for e in audit_entries(session, AuditFilter())]
    actions = {(actor, action) for actor, action, _ in entries}
    assert {("zhang.wei", "job.submit"), ("li.lei", "job.cancel")} <= actions
    assert all(job.id in detail for _, action, detail in entries if action.startswith("job."))


@pytest.mark.parametrize(
    ("kind", "params", "code"),
    [
        ("rport", {"year": 2024}, "jobs.unknown_kind"),
        ("report", {"year": "last"}, "jobs.bad_params"),
        ("report", {"year": 2024, "formats": ["docx"]}, "jobs.bad_params"),
        ("mail", {"to": [], "subject": "s", "body": ""}, "jobs.bad_params"),
    ],
)
def test_a_bad_job_is_refused_before_it_is_queued(sqlite_jobs, ledger_db, kind, params, code):
    jobs = sqlite_jobs()
    with pytest.raises(EsgError) as refused:
        jobs.submit(kind, params, "zhang.wei", ledger_db)
    assert refused.value.code == code
    assert jobs.store.all() == []
    assert jobs.queue.pending_count() == 0


def test_a_worker_forgets_jobs_that_ended_longer_ago_than_kept(sqlite_jobs, ledger_db):
    jobs = sqlite_jobs(job_keep_days=7)
    old, recent = (jobs.submit("ping", {}, "ops", ledger_db) for _ in range(2))
    Worker(jobs).run(until_empty=True)
    aged = jobs.store.get(old.id)
    aged.finished_at -= timedelta(days=8)
    jobs.store.save(aged)
    Worker(jobs).run(until_empty=True)  # its sweep at start
    assert [job.id for job in jobs.store.all()] == [recent.id]
