"""Notifications by e-mail, sent by a worker so that a slow or absent mail server never
holds up a page. The server is the ``smtp_host``/``smtp_port`` settings; the sender is
``smtp_from``."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from esgledger.errors import EsgError
from esgledger.jobs.context import JobContext
from esgledger.jobs.kinds import JobKind

TIMEOUT_SECONDS = 30


class MailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: list[str] = Field(min_length=1, max_length=100)
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(max_length=100_000)


def run(context: JobContext, params: MailParams) -> dict[str, Any]:
    settings = context.settings
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(params.to)
    message["Subject"] = params.subject
    message.set_content(params.body)
    context.progress(0, 1, f"sending to {len(params.to)} recipients")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            refused = smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise EsgError(
            f"the mail server {where} did not take the message ({exc}); check "
            "ESGLEDGER_SMTP_HOST and ESGLEDGER_SMTP_PORT and that the server is running",
            code="jobs.smtp_failed",
            params={"server": where, "reason": str(exc)},
        ) from None
    sent = [address for address in params.to if address not in refused]
    context.progress(1, 1, "sent")
    return {"sent_to": sent, "refused": sorted(refused)}


KIND = JobKind("mail", MailParams, run, reviewers_only=True)
