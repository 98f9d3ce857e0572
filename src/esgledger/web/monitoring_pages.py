"""Monitoring pages: a site's meters, its dashboard (load profile, day and month trends,
top consumers), open alerts (acknowledge, resolve), the key energy-using units against
their target, and the messages refused as dead letters.

The figures come from ``esgledger.monitoring`` (day totals over columns, alerts as ledger
records); acknowledging and resolving go through ``monitoring.alerts`` like the CLI's
``esgledger monitor ack/resolve``. Reporters see their own entities; dead letters name no
entity they could be limited to, so only reviewers and auditors see them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Writer
from esgledger.auth.roles import REVIEWERS, Role
from esgledger.errors import EsgError, render
from esgledger.ledger.reads.readings import dead_letters
from esgledger.ledger.reads.records import current_record
from esgledger.monitoring.alerts import (
    acknowledge,
    alert_text,
    carrier_name,
    open_alerts,
    resolve,
)
from esgledger.monitoring.meters import load_meters
from esgledger.monitoring.rollup import day_totals
from esgledger.web.access import commit_and_redirect, visible_entities, visible_entity
from esgledger.web.monitoring_dashboard import key_units_view, site_view
from esgledger.web.render import Env, PageEnv

router = APIRouter()
TREND_DAYS = 14
LETTER_READERS = REVIEWERS | {Role.AUDITOR}


@router.get("/monitoring", response_class=HTMLResponse)
def monitoring_page(
    env: Env, entity: str | None = None, until: str | None = None, carrier: str | None = None
) -> Response:
    """One entity's meters, dashboard of a carrier around a day, trend and alerts; the
    entity list to switch between sites; the key energy-using units against their target."""
    return _page(env, entity, until, carrier=carrier)


def _page(
    env: PageEnv,
    entity: str | None,
    until: str | None,
    error: str | None = None,
    carrier: str | None = None,
) -> Response:
    meters = load_meters(env.session, [e.code for e in visible_entities(env)])
    sites = sorted({m.entity for m in meters.values()})
    chosen = entity or (sites[0] if sites else None)
    if chosen is not None:
        visible_entity(env, chosen)
    mine = {code: m for code, m in meters.items() if m.entity == chosen}
    last = _day(until) or _latest_day(env, mine)
    trend = _trend(env, mine, last) if mine and last else []
    tz = env.request.app.state.settings.timezone
    return env.render(
        "monitoring.html",
        sites=[env.org.get(code) for code in sites if code in env.org],
        chosen=chosen,
        meters=list(mine.values()),
        trend=trend,
        dash=site_view(env, mine, carrier, last) if mine else None,
        key_units=key_units_view(env),
        until=last,
        days=[str(last - timedelta(days=n)) for n in range(TREND_DAYS - 1, -1, -1)] if last else [],
        alerts=open_alerts(env.session, [chosen] if chosen else []),
        alert_text=alert_text,
        carrier_name=carrier_name,
        letters=_letters(env) if env.can(LETTER_READERS) else None,
        may_act=env.can(REVIEWERS | {Role.REPORTER}),
        timezone=tz,
        error=error,
        status_code=400 if error else 200,
    )


def _day(text: str | None) -> date | None:
    """The day asked for, or None when none (or no date) was given."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:  # a hand-edited address: start from the usual day instead
        return None


def _letters(env: PageEnv) -> list[dict]:
    """The newest dead letters, each reason in the page's language beside the detail."""
    return [
        {"received_at": d.received_at, "source": d.source, "meter": d.meter,
         "reason_text": render(d.reason_code, env.lang), "reason": d.reason, "payload": d.payload}
        for d in dead_letters(env.session, 50)
    ]  # fmt: skip


def _latest_day(env: PageEnv, meters: dict) -> date | None:
    """The last day of the open alerts, else today: where a person starts looking."""
    windows = [
        a.payload["window"] for a in open_alerts(env.session) if len(a.payload["window"]) == 10
    ]
    return date.fromisoformat(max(windows)) if windows else date.today()


def _trend(env: PageEnv, meters: dict, last: date) -> list[dict]:
    """Per meter: its day totals over the trend's days, as a row of the table."""
    tz = env.request.app.state.settings.timezone
    days = day_totals(env.session, last - timedelta(days=TREND_DAYS - 1), last, tz, meters)
    rows = []
    for code, meter in meters.items():
        part = days.filter(days["meter"] == code)
        rows.append({"meter": meter, "totals": part["total"].to_list(),
                     "missing": int(part["missing"].sum())})  # fmt: skip
    return rows


@router.post("/monitoring/alerts/ack", response_model=None)
def acknowledge_alert(
    env: Env, principal: Writer, key: Annotated[str, Form(max_length=300)]
) -> Response:
    """Mark an alert as being looked at."""
    entity = _alert_entity(env, key)
    try:
        acknowledge(env.session, key, actor=principal.username)
    except EsgError as exc:
        env.session.rollback()
        return _page(env, entity, None, error=exc.message)
    return commit_and_redirect(env.session, f"/monitoring?entity={entity}")


@router.post("/monitoring/alerts/resolve", response_model=None)
def resolve_alert(
    env: Env,
    principal: Writer,
    key: Annotated[str, Form(max_length=300)],
    cause: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Close an alert with the cause found."""
    entity = _alert_entity(env, key)
    try:
        resolve(env.session, key, actor=principal.username, cause=cause)
    except EsgError as exc:
        env.session.rollback()
        return _page(env, entity, None, error=exc.message)
    return commit_and_redirect(env.session, f"/monitoring?entity={entity}")


def _alert_entity(env: PageEnv, key: str) -> str | None:
    """The alert's entity, refused as not found when the user may not see it."""
    alert = current_record(env.session, "monitoring.alerts", key)
    if alert is None or alert.entity is None:
        return None
    visible_entity(env, alert.entity)
    return alert.entity
