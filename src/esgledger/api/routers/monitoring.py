"""Meter readings by API, and the monitoring alerts.

``POST /monitoring/readings`` takes the same messages as the MQTT feed (one reading, or a
meter with a list of [time, value]); the batch is checked whole: bad messages go to the
dead letters with their reason (counted in the answer), good ones are stored, and the
early-warning rules run on the days the readings touched. Sending a batch again adds
nothing. Writers only (a gateway's token); a reporter may send only its own meters.
``GET /monitoring/dashboard/{entity}`` answers a site's dashboard for a carrier and day.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, SessionDep, Writer, require_entity
from esgledger.api.schemas import WRITE_ERRORS
from esgledger.errors import NotFoundError, accepted_language
from esgledger.monitoring.alerts import alert_text, open_alerts
from esgledger.monitoring.checks import check_ingested
from esgledger.monitoring.dashboard import site_dashboard
from esgledger.monitoring.ingest import ingest_messages
from esgledger.monitoring.meters import load_meters

router = APIRouter(prefix="/monitoring", tags=["monitoring"], responses=WRITE_ERRORS)


class ReadingBatch(BaseModel):
    """Messages as the MQTT feed sends them."""

    messages: list[dict[str, Any]] = Field(max_length=10_000)


class ReadingOutcome(BaseModel):
    inserted: int
    corrected: int
    repeated: int
    dead_letters: int
    alerts_opened: list[str]


class AlertPublic(BaseModel):
    key: str
    entity: str | None
    status: str
    kind: str
    window: str
    message: str
    version: int


@router.post("/readings", response_model=ReadingOutcome, summary="Send meter readings")
def send_readings(
    body: ReadingBatch, principal: Writer, session: SessionDep, request: Request
) -> ReadingOutcome:
    """Store the readings, refuse bad messages to the dead letters, run the checks."""
    meters = load_meters(session)
    for message in body.messages:
        meter = meters.get(str(message.get("meter")))
        if meter is not None:
            require_entity(principal, meter.entity)
    payloads = [json.dumps(m, ensure_ascii=False) for m in body.messages]
    outcome = ingest_messages(session, payloads, "api")
    tz = request.app.state.settings.timezone
    opened = check_ingested(session, outcome, tz, actor=principal.username)
    w = outcome.written
    return ReadingOutcome(inserted=w.inserted, corrected=w.corrected, repeated=w.repeated,
                          dead_letters=outcome.dead_letters, alerts_opened=opened)  # fmt: skip


@router.get("/alerts", response_model=list[AlertPublic], summary="Open alerts")
def list_alerts(request: Request, principal: Writer, session: SessionDep) -> list[AlertPublic]:
    """Alerts not yet resolved, of the entities the caller may see; the message in the
    request's language (Accept-Language)."""
    scope, lang = principal.entities, accepted_language(request.headers.get("accept-language"))
    return [
        AlertPublic(key=a.key, entity=a.entity, status=a.payload["status"],
                    kind=a.payload["kind"], window=a.payload["window"],
                    message=alert_text(a.payload, lang), version=a.version)
        for a in open_alerts(session, scope)
    ]  # fmt: skip


class SiteDashboardOut(BaseModel):
    """A site's carrier around a day, every figure in ``unit`` (see the monitoring page)."""

    entity: str
    carrier: str
    unit: str
    day: date
    profile: list[dict[str, Any]]  # hour, load, usual
    days: list[dict[str, Any]]  # day, total, readings, missing
    months: list[dict[str, Any]]  # month, metered, ledger, complete
    consumers: list[dict[str, Any]]  # meter (None: not sub-metered), name, total, share


@router.get("/dashboard/{entity}", summary="A site's energy dashboard for one carrier")
def dashboard(
    entity: Annotated[str, PathParam(max_length=40)],
    carrier: Annotated[str, Query(max_length=40)],
    day: Annotated[date, Query(ge=date(1990, 1, 1), le=date(2100, 12, 31))],
    request: Request,
    principal: CurrentUser,
    session: SessionDep,
) -> SiteDashboardOut:
    """The load profile of ``day`` beside the usual day, the day totals to it, the months
    of its year metered beside the ledger, and the sub-meters' shares of its month."""
    require_entity(principal, entity)
    meters = {c: m for c, m in load_meters(session, [entity]).items() if m.carrier == carrier}
    if not meters:
        raise NotFoundError.coded("access.no_meter", carrier=carrier, entity=entity)
    tz = request.app.state.settings.timezone
    board = site_dashboard(session, request.app.state.catalog, meters, carrier, day, tz)
    return SiteDashboardOut(
        entity=board.entity, carrier=board.carrier, unit=board.unit, day=board.day,
        profile=board.profile.to_dicts(), days=board.days.to_dicts(),
        months=board.months.to_dicts(), consumers=board.consumers.to_dicts(),
    )  # fmt: skip
