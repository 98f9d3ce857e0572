"""Notices out of the app: e-mail to each recipient with an address, and one message per
run to the enterprise chat webhook when one is set (``notice_webhook_url``).

Run by a worker (``notice_delivery`` after a campaign opens; ``campaign_reminders`` daily,
which first writes the day's reminders); never inside a request. A notice is recorded as
delivered (notices/delivery.py) only after the server took it, so a run that fails leaves
the rest pending for the next run.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any

from pydantic import BaseModel, ConfigDict

from esgledger.errors import EsgError
from esgledger.jobs.context import JobContext
from esgledger.jobs.kinds import JobKind
from esgledger.notices.contacts import all_emails
from esgledger.notices.delivery import Delivered, by_recipient, pending_notices, record_deliveries
from esgledger.notices.inbox import NoticeView
from esgledger.notices.texts import notice_text, text
from esgledger.settings import Settings

TIMEOUT_SECONDS = 30
ACTOR = "system"
MAX_WEBHOOK_LINES = 50  # chat robots cap a message at a few thousand characters


class DeliveryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


def mail_message(settings: Settings, address: str, notices: list[NoticeView]) -> EmailMessage:
    """One e-mail listing ``notices``: Chinese first, then English."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = address
    subject = [text("notices.mail.subject", lang, count=len(notices)) for lang in ("zh", "en")]
    message["Subject"] = " / ".join(subject)
    body = []
    for lang in ("zh", "en"):
        body.append(text("notices.mail.intro", lang))
        body += [f"- {notice_text(n.kind, n.params, lang)}" for n in notices]
        body.append("")
    message.set_content("\n".join(body))
    return message


def webhook_body(settings: Settings, notices: list[NoticeView]) -> dict[str, Any]:
    """The JSON a chat robot takes: WeCom/DingTalk ``msgtype`` or Feishu ``msg_type``."""
    lines = [f"{n.recipient}: {notice_text(n.kind, n.params, 'zh')}" for n in notices]
    if len(lines) > MAX_WEBHOOK_LINES:
        lines = [*lines[:MAX_WEBHOOK_LINES], f"… +{len(lines) - MAX_WEBHOOK_LINES}"]
    content = "\n".join(lines)
    if settings.notice_webhook_format == "feishu":
        return {"msg_type": "text", "content": {"text": content}}
    return {"msgtype": "text", "text": {"content": content}}


def post_webhook(url: str, body: dict[str, Any]) -> None:
    """POST ``body`` as JSON; a refusal (HTTP error, or a robot's nonzero errcode) raises.

    Raises:
        EsgError: the webhook did not take the message.
    """
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(10_000)
    except (OSError, urllib.error.URLError) as exc:
        raise _webhook_failed(url, str(exc)) from None
    try:
        code = json.loads(answer or b"{}").get(
            "errcode", json.loads(answer or b"{}").get("code", 0)
        )
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise _webhook_failed(url, f"the robot answered {answer[:200]!r}")


def _webhook_failed(url: str, reason: str) -> EsgError:
    return EsgError(
        f"the chat webhook {url} did not take the notices ({reason}); check "
        "ESGLEDGER_NOTICE_WEBHOOK_URL; the notices stay pending for the next run",
        code="jobs.webhook_failed",
        params={"url": url, "reason": reason},
    )


def deliver(context: JobContext) -> dict[str, Any]:
    """Mail and post every pending notice; what was delivered."""
    from esgledger.ledger.database import unit_of_work

    settings = context.settings
    with unit_of_work(context.database()) as session:
        pending = pending_notices(session)
        emails = all_emails(session)
    if not pending:
        return {"notices": 0, "mailed": 0, "webhook": False}
    webhook = bool(settings.notice_webhook_url)
    if webhook:
        post_webhook(settings.notice_webhook_url or "", webhook_body(settings, pending))
    delivered: list[Delivered] = []
    failure: EsgError | None = None
    groups = by_recipient(pending)
    for done, (user, notices) in enumerate(groups.items()):
        context.progress(done, len(groups), f"mailing {user}")
        address = emails.get(user)
        if address and failure is None:
            try:
                _send(settings, mail_message(settings, address, notices))
            except EsgError as exc:
                failure = exc
                continue
        if failure is None or not address:
            delivered += [Delivered(n.key, address, webhook) for n in notices]
    with unit_of_work(context.database()) as session:
        record_deliveries(session, delivered, actor=ACTOR)
    if failure is not None:
        raise failure
    mailed = sum(1 for d in delivered if d.email)
    return {"notices": len(delivered), "mailed": mailed, "webhook": webhook}


def _send(settings: Settings, message: EmailMessage) -> None:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise EsgError(
            f"the mail server {where} did not take the message ({exc}); check "
            "ESGLEDGER_SMTP_HOST and ESGLEDGER_SMTP_PORT and that the server is running",
            code="jobs.smtp_failed",
            params={"server": where, "reason": str(exc)},
        ) from None


def run_delivery(context: JobContext, params: DeliveryParams) -> dict[str, Any]:
    return deliver(context)


class RemindersParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    today: date | None = None  # default: today in the reporting time zone


def reporting_today(settings: Settings) -> date:
    """Today's date where the group reports (a reminder day starts at its midnight)."""
    from esgledger.reporting_time import reporting_zone

    return datetime.now(reporting_zone(settings.timezone)).date()


def run_reminders_job(context: JobContext, params: RemindersParams) -> dict[str, Any]:
    """The day's campaign reminders and escalations, the overdue hazards' notices and
    escalations, then the delivery of every pending notice."""
    from esgledger.catalog import load_catalog
    from esgledger.collection.reminders import run_reminders
    from esgledger.ledger.database import unit_of_work
    from esgledger.safety.escalation import escalate_overdue

    today = params.today or reporting_today(context.settings)
    context.progress(0, 2, f"reminders of {today.isoformat()}")
    with unit_of_work(context.database()) as session:
        sent = run_reminders(session, load_catalog(), today, actor=ACTOR)
        hazards = escalate_overdue(session, today, actor=ACTOR)
    context.progress(1, 2, "delivering notices")
    delivered = deliver(context)
    return {
        "today": today.isoformat(),
        "reminders": sent.reminders,
        "overdue": sent.overdue,
        "escalations": sent.escalations,
        "hazards_overdue": hazards.overdue,
        "hazards_escalated": hazards.escalated,
        **delivered,
    }


DELIVERY = JobKind("notice_delivery", DeliveryParams, run_delivery, reviewers_only=True)
REMINDERS = JobKind("campaign_reminders", RemindersParams, run_reminders_job, reviewers_only=True)
