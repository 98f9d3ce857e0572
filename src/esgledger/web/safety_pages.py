"""Safety risk management pages: the year's rates, the four-colour map of a site, and a
hazard's rectification loop (found, rectified with photos, verified, closed).

Every page reads through :mod:`esgledger.safety` with the user's entity scope, the same
functions as ``/api/v1/safety`` and ``esgledger safety``; a refused step (closing without
verification, a photo that is not an image) is shown on the hazard's page, nothing changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from esgledger.api.deps import Writer
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.blobs import blob_store
from esgledger.ledger.files import read_file
from esgledger.ledger.reads.records import record_history
from esgledger.safety import hazards
from esgledger.safety.lec import lec_method
from esgledger.safety.models import HAZARDS, SITE_PLANS
from esgledger.safety.plans import site_plan, store_plan
from esgledger.safety.register import Entry, visible_record
from esgledger.safety.riskmap import Plan, render_map
from esgledger.safety.summary import map_points, summary
from esgledger.web.access import PostedForm, commit_and_redirect, take_step, tree_order
from esgledger.web.render import Env

router = APIRouter()


def _settings(env: Env):
    return env.request.app.state.settings


@router.get("/safety", response_class=HTMLResponse)
def safety_page(env: Env, year: int | None = None) -> HTMLResponse:
    """The year's hazard rates, drills and injuries per site, overdue hazards, risk points
    by grade, and the register's counts beside the typed totals."""
    today = date.today()
    chosen = year or today.year - 1
    found = summary(env.session, env.principal, chosen, today, env.catalog)
    grades = [(g, found.grades[g.id]) for g in lec_method().grades]
    sites = [e for e in tree_order(env.org) if env.principal.may_see(e.code)]
    return env.render(
        "safety.html",
        json_href=f"/api/v1/safety/summary?year={chosen}",
        year=chosen,
        found=found,
        grades=grades,
        sites=sites,
        reconciliation=found.reconciliation,
    )


@router.get("/safety/map/{site}", response_class=HTMLResponse)
def map_page(env: Env, site: str) -> HTMLResponse:
    """A site's four-colour risk map: the plan when it has one, else a grid."""
    if site not in env.org or not env.principal.may_see(site):
        raise NotFoundError.coded("page.site_not_yours", site=site)
    plan = site_plan(env.session, site)
    drawn = Plan(f"/safety/files/{plan['sha256']}", plan["width"], plan["height"]) if plan else None
    points = map_points(env.session, env.principal, site)
    svg = render_map(env.code_label(site), points, drawn, env.lang)
    return env.render(
        "safety_map.html",
        site=site,
        svg=svg,
        points=points,
        plan=plan,
        grade_names={g.id: g.name[env.lang] for g in lec_method().grades},
    )


@router.post("/safety/map/{site}/plan", response_model=None)
def upload_plan(env: Env, principal: Writer, form: PostedForm, site: str) -> Response:
    """Store a site plan image; the map then draws its points on it."""
    upload = form.get("plan")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise EsgError("no file", code="safety_mgmt.photo_needed", params={"key": site})
        store_plan(
            env.session,
            principal,
            site,
            upload.file.read(),
            upload.filename,
            blob_store(_settings(env)),
            _settings(env).file_max_bytes,
        )
    except EsgError as exc:
        env.session.rollback()
        return _error(env, exc)
    return commit_and_redirect(env.session, f"/safety/map/{site}")


@router.get("/safety/hazards/new", response_class=HTMLResponse)
def new_hazard_form(env: Env, principal: Writer) -> HTMLResponse:
    return _new_form(env, {})


def _new_form(env: Env, chosen: dict[str, Any], error: str | None = None) -> HTMLResponse:
    sites = [e for e in tree_order(env.org) if env.principal.may_see(e.code)]
    return env.render(
        "safety_new.html",
        sites=sites,
        chosen=chosen,
        error=error,
        status_code=400 if error else 200,
    )


@router.post("/safety/hazards", response_model=None)
def record_finding(env: Env, principal: Writer, form: PostedForm) -> Response:
    """Record a hazard found by an inspection; it starts open."""
    fields = {
        name: str(form.get(name) or "")
        for name in ("title", "severity", "found_on", "owner", "deadline", "inspection")
    }
    key, site = str(form.get("key") or "").strip(), str(form.get("entity") or "")
    try:
        if not key:
            raise EsgError(
                "key",
                code="safety_mgmt.invalid_field",
                params={"field": "key", "problem": "required", "value": ""},
            )
        hazards.record_hazards(
            env.session,
            principal,
            [Entry(key, site, {**fields, "found_by": principal.username}, 0)],
        )
    except EsgError as exc:
        env.session.rollback()
        return _new_form(env, {**fields, "key": key, "entity": site}, exc.render(env.lang))
    return commit_and_redirect(env.session, f"/safety/hazards/{key}")


@router.get("/safety/hazards/{key}", response_class=HTMLResponse)
def hazard_page(env: Env, key: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    """A hazard, its history, and the next step of its loop."""
    hazard = visible_record(env.session, env.principal, HAZARDS, key)
    history = record_history(env.session, HAZARDS, key)
    overdue = hazards.is_overdue(hazard.payload, date.today())
    return env.render(
        "safety_hazard.html",
        json_href=f"/api/v1/safety/hazards/{key}",
        hazard=hazard,
        history=history,
        overdue=overdue,
        error=error,
        today=date.today().isoformat(),
        status_code=status,
    )


@router.post("/safety/hazards/{key}/{step}", response_model=None)
def hazard_step(env: Env, principal: Writer, form: PostedForm, key: str, step: str) -> Response:
    """Rectify (with photos), verify or close a hazard; a refused step changes nothing."""
    on = date.fromisoformat(str(form.get("on") or date.today().isoformat()))

    def rectify() -> None:
        photos = [
            (u.filename or "photo", u.file.read())
            for u in form.getlist("photos")
            if isinstance(u, UploadFile) and u.filename
        ]
        hazards.rectify(
            env.session,
            principal,
            key,
            note=str(form.get("note") or ""),
            photos=photos,
            on=on,
            files_root=blob_store(_settings(env)),
            max_bytes=_settings(env).file_max_bytes,
        )

    steps = {
        "rectify": rectify,
        "verify": lambda: hazards.verify(env.session, principal, key, on=on),
        "close": lambda: hazards.close(env.session, principal, key, on=on),
    }
    return take_step(
        env,
        steps,
        step,
        lambda error: hazard_page(env, key, error=error, status=422),
        f"/safety/hazards/{key}",
    )


@router.get("/safety/files/{sha256}", response_model=None)
def stored_file(env: Env, sha256: str) -> Response:
    """A hazard photo or a site plan, re-hashed on the way out."""
    info, data = read_file(env.session, blob_store(_settings(env)), sha256)
    return Response(
        data, media_type=info.media_type, headers={"Cache-Control": "private, max-age=86400"}
    )


def _error(env: Env, exc: EsgError) -> HTMLResponse:
    return env.render(
        "error.html",
        title=env.t("safety.refused"),
        status=422,
        message=exc.render(env.lang),
        status_code=422,
    )


__all__ = ["SITE_PLANS", "router"]
