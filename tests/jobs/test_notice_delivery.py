"""Notices leave the app by job: e-mail through a real SMTP server (aiosmtpd), the chat
webhook to a real local HTTP server, and the daily reminders as a periodic task the
worker queues itself. Nothing is sent inside a request, nothing twice."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from esgledger.jobs import Jobs, JobStatus
from esgledger.jobs.worker import Worker
from esgledger.ledger import calendar
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.orgstore import save_entities
from esgledger.notices import inbox_for
from esgledger.notices.contacts import set_email
from esgledger.notices.delivery import pending_notices
from esgledger.safety.hazards import record_hazards
from esgledger.safety.register import Entry
from tests.collection.helpers import open_campaign, set_up_group
from tests.conftest import SMALL_GROUP
from tests.jobs.conftest import settings_of
from tests.jobs.test_kinds import Inbox, free_port
from tests.safety.helpers import INSPECTOR, hazard_fields


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, keeping what it receives."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def campaign_ledger(ledger_db):
    """The test group with a campaign open: one notice each to smelter and metal."""
    with unit_of_work(ledger_db) as session:
        calendar.open_years(session, "t", [2024])
        save_entities(session, "t", SMALL_GROUP)
    set_up_group(ledger_db)
    with unit_of_work(ledger_db) as session:
        set_email(session, "admin", "smelter", "smelter@baotou-re.example")
    open_campaign(ledger_db)
    return ledger_db


def run_job(jobs: Jobs, database, kind: str, params=None):
    job = jobs.submit(kind, params or {}, "system", database)
    jobs.run(job.id)
    return jobs.store.get(job.id)


def test_pending_notices_are_mailed_once_to_users_with_an_address(
    ledger_url, campaign_ledger, smtp_server
):
    controller, inbox = smtp_server
    jobs = Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, smtp_port=controller.port))
    done = run_job(jobs, campaign_ledger, "notice_delivery")
    assert done.status is JobStatus.DONE, done.error
    # smelter has an address; metal has none and its notice is delivered to the inbox only
    assert done.result == {"notices": 2, "mailed": 1, "webhook": False}
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["smelter@baotou-re.example"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Subject"] == "esgledger：1 条新通知 / esgledger: 1 new notices"
    body = message.get_content()
    assert "填报任务 fy2024：SMELT 需填报本年度 2 项指标，截止日期 2025-03-31。" in body
    assert "Campaign fy2024: SMELT is asked for 2 inputs of the year, due 2025-03-31." in body
    again = run_job(jobs, campaign_ledger, "notice_delivery")
    assert again.result["notices"] == 0 and len(inbox.envelopes) == 1


def test_a_mail_server_that_is_down_leaves_the_notices_pending(ledger_url, campaign_ledger):
    jobs = Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, smtp_port=free_port()))
    failed = run_job(jobs, campaign_ledger, "notice_delivery")
    assert failed.status is JobStatus.FAILED and failed.error.code == "jobs.smtp_failed"
    with unit_of_work(campaign_ledger) as session:
        # metal's notice (no address) is done; smelter's waits for the next run
        assert [n.recipient for n in pending_notices(session)] == ["smelter"]


class Robot(BaseHTTPRequestHandler):
    """A chat robot: keeps each JSON body, answers as WeCom does (errcode 0, or the
    server's ``answer``)."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(json.loads(self.rfile.read(length)))
        answer = json.dumps(self.server.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    server.bodies, server.answer = [], {"errcode": 0, "errmsg": "ok"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("form", ["wecom", "feishu"])
def test_the_webhook_gets_one_json_message_per_run(
    ledger_url, campaign_ledger, smtp_server, robot, form
):
    controller, _ = smtp_server
    url = f"http://127.0.0.1:{robot.server_port}/robot/send?key=test"
    settings = settings_of(
        {"ESGLEDGER_DB": ledger_url},
        smtp_port=controller.port,
        notice_webhook_url=url,
        notice_webhook_format=form,
    )
    done = run_job(Jobs(settings), campaign_ledger, "notice_delivery")
    assert done.status is JobStatus.DONE, done.error
    assert done.result["webhook"] is True
    (body,) = robot.bodies
    if form == "wecom":
        assert body["msgtype"] == "text"
        content = body["text"]["content"]
    else:
        assert body["msg_type"] == "text"
        content = body["content"]["text"]
    lines = sorted(content.splitlines())
    assert lines == [
        "metal: 填报任务 fy2024：METAL 需填报本年度 1 项指标，截止日期 2025-03-31。",
        "smelter: 填报任务 fy2024：SMELT 需填报本年度 2 项指标，截止日期 2025-03-31。",
    ]


def test_a_robot_that_refuses_fails_the_job_and_nothing_is_marked_delivered(
    ledger_url, campaign_ledger, robot
):
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    url = f"http://127.0.0.1:{robot.server_port}/robot/send"
    settings = settings_of({"ESGLEDGER_DB": ledger_url}, notice_webhook_url=url)
    failed = run_job(Jobs(settings), campaign_ledger, "notice_delivery")
    assert failed.status is JobStatus.FAILED and failed.error.code == "jobs.webhook_failed"
    with unit_of_work(campaign_ledger) as session:
        assert len(pending_notices(session)) == 2


def test_the_worker_queues_the_daily_reminders_at_the_reminder_hour(ledger_url, campaign_ledger):
    jobs = Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, reminder_hour=8, smtp_port=free_port()))
    worker = Worker(jobs)
    assert worker.enqueue_periodic(datetime(2025, 4, 2, 9, 0)) == 0
    assert worker.enqueue_periodic(datetime(2025, 4, 2, 8, 0)) == 1
    worker.run(until_empty=True)
    (job,) = [j for j in jobs.store.all() if j.kind == "campaign_reminders"]
    # the job ran on today's date, long after the 2025-03-31 due date: overdue and escalated;
    # its delivery then failed on the absent mail server (smelter has an address)
    assert job.requested_by == "system"
    assert job.status is JobStatus.FAILED and job.error.code == "jobs.smtp_failed"
    with unit_of_work(campaign_ledger) as session:
        assert "campaign_overdue" in [n.kind for n in inbox_for(session, "smelter")]
        assert [n.kind for n in inbox_for(session, "manager")] == ["campaign_escalated"] * 2


def test_the_reminders_job_takes_the_day_as_a_parameter(ledger_url, campaign_ledger, smtp_server):
    controller, inbox = smtp_server
    jobs = Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, smtp_port=controller.port))
    done = run_job(jobs, campaign_ledger, "campaign_reminders", {"today": "2025-03-17"})
    assert done.status is JobStatus.DONE, done.error
    assert done.result["reminders"] == 2 and done.result["escalations"] == 0
    assert done.result["today"] == date(2025, 3, 17).isoformat()
    # the opening notice and the reminder in one mail to smelter
    (envelope,) = inbox.envelopes
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Subject"].startswith("esgledger：2 条新通知")
    assert "SMELT 尚有 13 项未填报；截止日期 2025-03-31，还剩 14 天" in message.get_content()


def test_the_daily_job_tells_the_site_and_the_group_of_an_overdue_hazard(
    ledger_url, campaign_ledger, smtp_server
):
    with unit_of_work(campaign_ledger) as session:
        record_hazards(session, INSPECTOR, [Entry("H-1", "SMELT", hazard_fields(), 0)])
    controller, _ = smtp_server
    jobs = Jobs(settings_of({"ESGLEDGER_DB": ledger_url}, smtp_port=controller.port))
    done = run_job(jobs, campaign_ledger, "campaign_reminders", {"today": "2025-03-17"})
    assert done.status is JobStatus.DONE, done.error
    assert (done.result["hazards_overdue"], done.result["hazards_escalated"]) == (1, 1)
    with unit_of_work(campaign_ledger) as session:
        assert "hazard_overdue" in [n.kind for n in inbox_for(session, "smelter")]
        assert "hazard_escalated" in [n.kind for n in inbox_for(session, "manager")]
