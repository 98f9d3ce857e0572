"""Environmental permits pages: permits and their outlets, a monitoring result entered by
hand, the exceedances it opens, the steps of an exceedance to its closure, and a permit's
history.

Pages call the same functions as ``/api/v1/permits`` and the CLI
(:mod:`esgledger.permits`); a reporter sees and works on its own sites only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from esgledger.api.deps import CurrentUser, Writer
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import record_history
from esgledger.permits import discharge_summary, expiring_permits
from esgledger.permits.catalogue import pollutants
from esgledger.permits.history import limit_text, permit_history
from esgledger.permits.model import ResultIn
from esgledger.permits.register import EXCEEDANCES, list_outlets, list_permits
from esgledger.permits.results import (
    STEPS,
    advance_exceedance,
    list_exceedances,
    record_results,
)
from esgledger.permits.summary import latest_result_year
from esgledger.web.access import commit_and_redirect
from esgledger.web.render import Env

router = APIRouter()


def _overview(env: Env, error: str | None = None, chosen: dict | None = None) -> Response:
    principal = env.principal
    today = date.today()
    year = latest_result_year(env.session) or today.year - 1
    summary = discharge_summary(env.session, year, today) if principal.entities is None else None
    return env.render(
        "permits.html",
        json_href="/api/v1/permits",
        permits=list_permits(env.session, principal),
        outlets=list_outlets(env.session, principal),
        expiring=expiring_permits(env.session, today, entities=principal.entities).to_dicts(),
        exceedances=list_exceedances(env.session, principal),
        pollutants=pollutants(),
        summary=summary,
        year=year,
        error=error,
        chosen=chosen or {},
        status_code=400 if error else 200,
    )


@router.get("/permits", response_class=HTMLResponse)
def permits_page(env: Env, principal: CurrentUser) -> Response:
    """Permits, outlets and limits, expiry warnings, open exceedances, compliance."""
    return _overview(env)


@router.post("/permits/results", response_model=None)
def record_result(
    env: Env,
    principal: Writer,
    outlet: Annotated[str, Form(max_length=101)],
    pollutant: Annotated[str, Form(max_length=40)],
    sampled_at: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=40)],
    unit: Annotated[str, Form(max_length=40)],
    method: Annotated[str, Form(max_length=10)] = "manual",
) -> Response:
    """Record one result; one over its limit opens an exceedance, shown next."""
    chosen = {
        "outlet": outlet,
        "pollutant": pollutant,
        "sampled_at": sampled_at,
        "value": value,
        "unit": unit,
        "method": method,
    }
    try:
        number = float(value.replace(",", ""))
        result = ResultIn(
            outlet=outlet,
            pollutant=pollutant,
            value=number,
            unit=unit,
            sampled_at=datetime.fromisoformat(sampled_at),
            method=method,
        )
        opened = record_results(env.session, principal, [result])
    except EsgError as exc:
        env.session.rollback()
        return _overview(env, exc.text(env.lang), chosen)
    except ValueError:
        env.session.rollback()
        return _overview(env, env.t("permits.bad_number"), chosen)
    if opened:
        return commit_and_redirect(env.session, f"/permits/exceedance?key={opened[0]}")
    return commit_and_redirect(env.session, "/permits")


@router.get("/permits/exceedance", response_class=HTMLResponse)
def exceedance_page(env: Env, principal: CurrentUser, key: str = "", error: str = "") -> Response:
    """One exceedance: its result and limit, its history, and the form of its next step."""
    if not key:  # the list of exceedances is on the permits page
        return RedirectResponse("/permits", status_code=303)
    found = {record.key: record for record in list_exceedances(env.session, principal)}
    if key not in found:
        return _overview(env, env.t("permits.no_exceedance"))
    record = found[key]
    status = record.payload["status"]
    step = next((name for name, (start, _, _) in STEPS.items() if start == status), None)
    return env.render(
        "permits_exceedance.html",
        record=record,
        history=record_history(env.session, EXCEEDANCES, key),
        step=step,
        needs_text=step is not None and STEPS[step][2] is not None,
        pollutants=pollutants(),
        error=error or None,
        status_code=400 if error else 200,
    )


@router.get("/permits/permit", response_class=HTMLResponse)
def permit_page(env: Env, principal: CurrentUser, number: str = "") -> Response:
    """One permit: its outlets and limits, and every change of either (renewals, limits
    tightened, outlets added or retired) with who made it, when and why."""
    try:
        found = permit_history(env.session, principal, number)
    except EsgError as exc:
        return _overview(env, exc.text(env.lang))
    return env.render(
        "permits_permit.html",
        json_href=f"/api/v1/permits/{quote(number, safe='')}/history",
        found=found,
        pollutants=pollutants(),
        limit_text=limit_text,
    )


@router.post("/permits/exceedance", response_model=None)
def exceedance_step(
    env: Env,
    principal: Writer,
    key: Annotated[str, Form(max_length=200)],
    step: Annotated[str, Form(max_length=20)],
    version: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the cause, the correction, or close the exceedance."""
    try:
        advance_exceedance(env.session, principal, key, step, text, expected_version=version)
    except EsgError as exc:
        env.session.rollback()
        return exceedance_page(env, principal, key, exc.text(env.lang))
    return commit_and_redirect(env.session, f"/permits/exceedance?key={key}")
