"""Assurance pages for the auditor: engagements, an engagement's samples, queries, findings
and sign-offs, and the package download. The value-level workpaper (tick marks, queries,
findings) is in :mod:`esgledger.web.assurance_item_pages`.

Pages call the same functions as ``/api/v1/assurance``; every write goes to an
``assurance.*`` register and is refused for anyone but an assurer (auth/roles.py).
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse

from esgledger.assurance.engagements import engagement, list_engagements, of_engagement
from esgledger.assurance.model import (
    COMMON_UNITS,
    FINDINGS,
    ITEMS,
    LEVELS,
    QUERIES,
    SAMPLES,
    STANDARDS,
    tick_marks,
)
from esgledger.assurance.package import build_package
from esgledger.assurance.service import create_engagement, draw_sample
from esgledger.assurance.signoff import scope_signoffs, sign_off, signoff_states
from esgledger.assurance.workpapers import queries_for
from esgledger.auth.roles import ASSURERS, REVIEWERS
from esgledger.errors import EsgError
from esgledger.settings import files_folder
from esgledger.web.access import commit_and_redirect
from esgledger.web.render import Env

router = APIRouter()
READERS = ASSURERS | REVIEWERS


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s,;]+", text) if word]


def _overview(env: Env, error: str | None = None, chosen: dict | None = None) -> Response:
    reads = env.can(READERS)
    return env.render(
        "assurance.html",
        json_href="/api/v1/assurance/engagements",
        engagements=list_engagements(env.session) if reads else [],
        queries=queries_for(env.session, env.principal),
        may_write=env.can(ASSURERS),
        standards=STANDARDS,
        levels=LEVELS,
        units=COMMON_UNITS,
        entities=list(env.org),
        error=error,
        chosen=chosen or {},
        status_code=400 if error else 200,
    )


@router.get("/assurance", response_class=HTMLResponse)
def assurance_page(env: Env) -> Response:
    """Engagements (auditors, reviewers) and the queries sent to the user."""
    return _overview(env)


@router.post("/assurance/engagements", response_model=None)
def new_engagement(
    env: Env,
    code: Annotated[str, Form(max_length=40)],
    year: Annotated[int, Form()],
    standard: Annotated[str, Form(max_length=20)],
    level: Annotated[str, Form(max_length=20)],
    indicators: Annotated[str, Form(max_length=20_000)],
    entities: Annotated[list[str] | None, Form()] = None,
    common_unit: Annotated[str, Form(max_length=20)] = "tCO2e",
    title: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Open an engagement; a mistake shows the form again with what was typed."""
    fields = {
        "code": code.strip(),
        "year": year,
        "standard": standard,
        "level": level,
        "entities": entities or [],
        "indicators": _words(indicators),
        "common_unit": common_unit,
        "title": title,
    }
    try:
        create_engagement(env.session, env.principal, env.catalog, fields)
    except EsgError as exc:
        env.session.rollback()
        return _overview(env, exc.text(env.lang), {**fields, "indicators": indicators})
    return commit_and_redirect(env.session, f"/assurance/engagement?code={fields['code']}")


def _engagement(env: Env, code: str, error: str | None = None) -> Response:
    found = engagement(env.session, code)
    states = signoff_states(env.session, code)
    items = {r.key: r for r in of_engagement(env.session, ITEMS, code)}
    return env.render(
        "assurance_engagement.html",
        json_href=f"/api/v1/assurance/engagements/{code}",
        engagement=found,
        samples=of_engagement(env.session, SAMPLES, code),
        items=items,
        queries=of_engagement(env.session, QUERIES, code),
        findings=of_engagement(env.session, FINDINGS, code),
        signoffs=scope_signoffs(states),
        ticks=tick_marks(),
        may_write=env.can(ASSURERS),
        seed=secrets.randbelow(1_000_000),
        error=error,
        status_code=400 if error else 200,
    )


@router.get("/assurance/engagement", response_class=HTMLResponse)
def engagement_page(env: Env, code: str = "") -> Response:
    """One engagement: scope, samples, queries, findings, sign-offs, package."""
    if not env.can(READERS):
        return _overview(env)
    try:
        return _engagement(env, code)
    except EsgError as exc:
        return _overview(env, exc.text(env.lang))


@router.post("/assurance/sample", response_model=None)
def new_sample(
    env: Env,
    code: Annotated[str, Form(max_length=40)],
    method: Annotated[str, Form(max_length=10)],
    size: Annotated[int, Form(ge=1, le=10_000)],
    seed: Annotated[int, Form(ge=0)],
) -> Response:
    """Draw a sample and store it with its seed."""
    try:
        settings = env.request.app.state.settings
        draw_sample(env.session, env.principal, settings, code, method, size, seed)
    except EsgError as exc:
        env.session.rollback()
        return _engagement(env, code, exc.text(env.lang))
    return commit_and_redirect(env.session, f"/assurance/engagement?code={code}#samples")


@router.post("/assurance/signoff", response_model=None)
def new_signoff(
    env: Env,
    code: Annotated[str, Form(max_length=40)],
    entity: Annotated[str, Form(max_length=40)],
    indicator: Annotated[str, Form(max_length=120)],
    conclusion: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Sign off one indicator of one entity (refused while queries or findings are open)."""
    try:
        sign_off(env.session, env.principal, code, entity, indicator, conclusion)
    except EsgError as exc:
        env.session.rollback()
        return _engagement(env, code, exc.text(env.lang))
    return commit_and_redirect(env.session, f"/assurance/engagement?code={code}#signoffs")


@router.post("/assurance/package", response_model=None)
def package(env: Env, code: Annotated[str, Form(max_length=40)]) -> Response:
    """The assurance package as a ZIP; the export is recorded in the audit log."""
    try:
        root = files_folder(env.request.app.state.settings)
        data = build_package(env.session, env.principal, code, root)
    except EsgError as exc:
        env.session.rollback()
        return _engagement(env, code, exc.text(env.lang))
    env.session.commit()
    headers = {"Content-Disposition": f'attachment; filename="assurance-{code}.zip"'}
    return Response(data, media_type="application/zip", headers=headers)
