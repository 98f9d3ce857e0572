"""Alerts and their lifecycle: open, acknowledged, resolved with a cause.

Alerts are records of the ledger register ``monitoring.alerts``, so who acknowledged or
resolved what, when and why is audited like any change. A check that finds the same
condition again (same rule, meter or entity, and window) does not open a second alert
while the first is not resolved. New alerts are handed to the notifiers registered in
:data:`NOTIFIERS` after they are written: the seam where mail, messaging or a job queue
plug in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from esgledger.errors import EsgError, render
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records

REGISTER = "monitoring.alerts"
OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"


@dataclass(frozen=True)
class Finding:
    """A condition a check found: what, where, over which window, and the figures."""

    rule: str
    kind: str
    entity: str
    subject: str  # the meter, or the entity/indicator for monthly values
    window: str
    message: str  # in English, for logs and the command line
    figures: dict
    text: str = ""  # the catalogue code of the message (see alert_text)
    said: dict = field(default_factory=dict)  # its parameters

    @property
    def key(self) -> str:
        return f"{self.rule}/{self.subject}/{self.window}"


Notifier = Callable[[Session, list[RecordView]], None]
NOTIFIERS: list[Notifier] = []


def raise_alerts(
    session: Session, findings: Iterable[Finding], *, actor: str, reopen_unchanged: bool = True
) -> list[str]:
    """Open an alert for each finding not already open or acknowledged; their keys.

    A resolved alert found again opens again: the condition persists. Checks that the feed
    runs again over the same readings pass ``reopen_unchanged=False``, so it opens again
    only when its figures changed (new readings), not at every batch."""
    findings = {f.key: f for f in findings}
    if not findings:
        return []
    known = {r.key: r for r in current_records(session, REGISTER, keys=list(findings))}
    changes = [
        RecordChange(key, {**_payload(f), "status": OPEN}, entity=f.entity,
                     expected_version=known[key].version if key in known else 0)
        for key, f in findings.items()
        if key not in known or _found_anew(known[key].payload, f, reopen_unchanged)
    ]  # fmt: skip
    if not changes:
        return []
    written = append_records(session, REGISTER, changes, actor=actor, action="alert.open")
    opened = current_records(session, REGISTER, keys=[row.record_key for row in written])
    for notify in NOTIFIERS:
        notify(session, opened)
    return [c.key for c in changes]


def _found_anew(alert: dict, finding: Finding, reopen_unchanged: bool) -> bool:
    changed = reopen_unchanged or alert.get("figures") != finding.figures
    return alert["status"] == RESOLVED and changed


def _payload(finding: Finding) -> dict:
    return {
        "rule": finding.rule, "kind": finding.kind, "entity": finding.entity,
        "subject": finding.subject, "window": finding.window, "message": finding.message,
        "figures": finding.figures, "text": finding.text, "said": finding.said,
    }  # fmt: skip


def carrier_name(carrier: str, lang: str) -> str:
    """An energy carrier's name in ``lang`` (电力, Electricity)."""
    return render(f"monitor_carrier.{carrier}", lang)


def alert_text(payload: dict, lang: str) -> str:
    """What an alert says in ``lang``; alerts raised before they kept their catalogue code
    say their English message."""
    if not payload.get("text"):
        return payload["message"]
    said = dict(payload.get("said", {}))
    if "carrier" in said:
        said["carrier"] = carrier_name(said["carrier"], lang)
    return render(payload["text"], lang, **said)


def acknowledge(session: Session, key: str, *, actor: str, version: int | None = None) -> None:
    """Someone is on it: the alert stays in the list, marked acknowledged."""
    _move(session, key, ACKNOWLEDGED, actor=actor, version=version, cause=None)


def resolve(
    session: Session, key: str, *, actor: str, cause: str, version: int | None = None
) -> None:
    """Close the alert with the cause found (a cause is required: it is the lesson)."""
    if not cause.strip():
        raise EsgError(
            f"alert {key}: say what caused it before resolving it (e.g. 'furnace 2 overhaul')",
            code="monitor.cause_required",
            params={"key": key},
        )
    _move(session, key, RESOLVED, actor=actor, version=version, cause=cause.strip())


def _move(
    session: Session, key: str, status: str, *, actor: str, version: int | None,
    cause: str | None,
) -> None:  # fmt: skip
    alert = current_record(session, REGISTER, key)
    if alert is None:
        raise EsgError(
            f"there is no alert {key!r}; pick one from the list of open alerts",
            code="monitor.no_alert",
            params={"key": key},
        )
    if alert.payload["status"] == RESOLVED:
        raise EsgError(
            f"alert {key} is already resolved; nothing to change",
            code="monitor.alert_resolved",
            params={"key": key},
        )
    payload = {**alert.payload, "status": status, **({"cause": cause} if cause else {})}
    change = RecordChange(key, payload, alert.entity, expected_version=version or alert.version)
    append_records(session, REGISTER, [change], actor=actor, action=f"alert.{status}", reason=cause)


def open_alerts(session: Session, entities: Iterable[str] | None = None) -> list[RecordView]:
    """Alerts not yet resolved, newest first."""
    scope = list(entities) if entities is not None else None
    alerts = current_records(session, REGISTER, entities=scope)
    pending = [a for a in alerts if a.payload["status"] != RESOLVED]
    return sorted(pending, key=lambda a: a.recorded_at, reverse=True)
