"""Supplier pages: the register (add or edit a supplier, XLSX export and import), one
supplier's questionnaires (send one by signed link, by e-mail through a job), its answers
and scores, and the year's classes with Scope 3 category 1 figures from supplier data.

Everything shown comes from :mod:`esgledger.suppliers`, as for ``/api/v1/suppliers``.
Group managers and admins manage suppliers; the auditor reads.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from esgledger.api.deps import Reviewer
from esgledger.api.errors import Forbidden
from esgledger.api.routers.jobs import app_jobs, submit_job
from esgledger.auth.roles import REVIEWERS, SEES_ALL
from esgledger.errors import EsgError, ValidationFailed
from esgledger.settings import link_key
from esgledger.suppliers.model import KINDS, questionnaires, scoring
from esgledger.suppliers.questionnaires import ANSWERS, issue_questionnaire, sent_links
from esgledger.suppliers.register import (
    CATEGORIES,
    STATUSES,
    get_supplier,
    list_suppliers,
    parse_supplier,
    save_suppliers,
)
from esgledger.suppliers.scope3 import delivery_frame, feed_scope3
from esgledger.suppliers.summary import overview
from esgledger.suppliers.workbook import read_workbook, write_workbook
from esgledger.web.access import PostedForm, commit_and_redirect
from esgledger.web.render import Env, PageEnv

router = APIRouter()
LINK_DAYS = 30  # how long a questionnaire link may be answered
FIELDS = ("code", "name_zh", "name_en", "credit_code", "category", "region", "material",
          "spend", "status", "entity", "email")  # fmt: skip


def _year(year: int | None) -> int:
    return year if year is not None else datetime.now(UTC).year - 1


def _seeing(env: PageEnv) -> None:
    if not env.can(SEES_ALL):
        raise Forbidden.coded("page.suppliers_forbidden")


def _register(env: PageEnv, year: int, error: str | None = None, chosen: dict | None = None,
              status_code: int = 200) -> Response:  # fmt: skip
    return env.render(
        "suppliers.html", json_href="/api/v1/suppliers", year=year,
        rows=overview(env.session, year), categories=CATEGORIES, statuses=STATUSES,
        entities=[e.code for e in env.org], can_edit=env.can(REVIEWERS), error=error,
        chosen=chosen or {}, status_code=400 if error else status_code,
    )  # fmt: skip


@router.get("/suppliers", response_class=HTMLResponse)
def suppliers_page(env: Env, year: int | None = None) -> Response:
    """The register with each supplier's admission decision, class and movement."""
    _seeing(env)
    return _register(env, _year(year))


@router.post("/suppliers", response_model=None)
def save_supplier(env: Env, principal: Reviewer, form: PostedForm) -> Response:
    """Add a supplier, or change one (``version``: the version the edit was made from)."""
    fields = {name: str(form.get(name, "")) for name in FIELDS}
    try:
        supplier = parse_supplier(fields, [e.code for e in env.org])
        version = int(str(form.get("version") or 0))
        save_suppliers(env.session, [supplier], actor=principal.username,
                       versions={supplier.code: version})  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _register(env, _year(None), exc.text(env.lang), fields)
    return commit_and_redirect(env.session, f"/suppliers/{supplier.code}")


@router.get("/suppliers/export.xlsx", response_model=None)
def export_register(env: Env) -> Response:
    """The register as a workbook to edit and import again."""
    _seeing(env)
    folder = Path(tempfile.mkdtemp(prefix="suppliers-"))
    path = folder / "suppliers.xlsx"
    write_workbook([s for s, _ in list_suppliers(env.session)], path)
    return FileResponse(path, filename="suppliers.xlsx")


@router.post("/suppliers/import", response_model=None)
def import_register(
    env: Env, principal: Reviewer, upload: Annotated[UploadFile, File()]
) -> Response:
    """All rows or none: every problem named by row and column."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(upload.file.read(20_000_000))
        try:
            found = read_workbook(path, [e.code for e in env.org], upload.filename or "upload.xlsx")
            versions = {s.code: v for s, v in list_suppliers(env.session)}
            save_suppliers(env.session, found, actor=principal.username, versions=versions,
                           reason=f"import {upload.filename}")  # fmt: skip
        except ValidationFailed as exc:
            env.session.rollback()
            return _register(env, _year(None), exc.render(env.lang))
        except EsgError as exc:
            env.session.rollback()
            return _register(env, _year(None), exc.text(env.lang))
    return commit_and_redirect(env.session, "/suppliers")


def _detail(env: PageEnv, code: str, **extra) -> Response:
    supplier, version = get_supplier(env.session, code)
    from esgledger.ledger.reads.records import current_records

    answers = sorted(
        (r for r in current_records(env.session, ANSWERS, entities=[supplier.entity])
         if r.payload["supplier"] == code),
        key=lambda r: r.payload["answered"], reverse=True,
    )  # fmt: skip
    links = [r for r in sent_links(env.session, [supplier.entity]) if r.payload["supplier"] == code]
    return env.render(
        "supplier.html", json_href=f"/api/v1/suppliers/{code}", supplier=supplier,
        version=version, answers=answers, links=links, kinds=KINDS, forms=questionnaires(),
        year=_year(None), can_edit=env.can(REVIEWERS), categories=CATEGORIES,
        statuses=STATUSES, entities=[e.code for e in env.org],
        status_code=400 if extra.get("error") else 200, **extra,
    )  # fmt: skip


@router.get("/suppliers/{code}", response_class=HTMLResponse)
def supplier_page(env: Env, code: str) -> Response:
    """One supplier: its record, the questionnaires sent and its answers."""
    _seeing(env)
    return _detail(env, code)


@router.post("/suppliers/{code}/send", response_class=HTMLResponse)
def send_questionnaire(
    env: Env, principal: Reviewer, code: str,
    kind: Annotated[str, Form(max_length=20)], year: Annotated[int, Form()],
    lang: Annotated[str, Form(max_length=2)] = "zh", by_mail: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """A new link for the supplier; shown to copy and, if asked, e-mailed by a job."""
    try:
        supplier, _ = get_supplier(env.session, code)
        if by_mail and not supplier.email:
            raise EsgError.coded("supplier_q.no_questionnaire_email", code=code)
        token, _ = issue_questionnaire(
            env.session, link_key(env.request.app.state.settings), supplier=code, kind=kind,
            year=year, lang=lang if lang in ("zh", "en") else "zh",
            valid_for=timedelta(days=LINK_DAYS), now=datetime.now(UTC),
            actor=principal.username, email=supplier.email if by_mail else "",
        )  # fmt: skip
        url = f"{str(env.request.base_url).rstrip('/')}/q/{token}"
    except EsgError as exc:
        env.session.rollback()
        return _detail(env, code, error=exc.text(env.lang))
    env.session.commit()  # before the job: submitting it writes its own audit entry
    job = None
    if by_mail:
        mail = _mail(supplier.email, supplier.name(lang), kind, year, url, lang)
        job = submit_job(app_jobs(env.request), env.request, principal, "mail", mail)
    return _detail(env, code, new_link=url, job=job)


def _mail(to: str, name: str, kind: str, year: int, url: str, lang: str) -> dict:
    """The e-mail to the supplier in the link's language (the texts of the web locale)."""
    from esgledger.web.i18n import translator

    t = translator(lang)
    title = questionnaires()[kind].title[lang]
    return {"to": [to], "subject": t("supplier.mail.subject", title=title, year=year),
            "body": t("supplier.mail.body", name=name, title=title, year=year, url=url,
                      days=LINK_DAYS)}  # fmt: skip


@router.get("/suppliers-scores", response_class=HTMLResponse)
def scores_page(env: Env, year: int | None = None) -> Response:
    """Admission decisions, the year's classes and movement, and supplier-specific Scope 3."""
    _seeing(env)
    year = _year(year)
    rows = overview(env.session, year)
    deliveries = delivery_frame(env.session, year).to_dicts()
    return env.render(
        "supplier_scores.html", json_href=f"/api/v1/suppliers/classes/{year}", year=year,
        rows=rows, method=scoring(), deliveries=deliveries, can_edit=env.can(REVIEWERS),
        fed=env.request.query_params.get("fed"),
    )  # fmt: skip


@router.post("/suppliers-scores/feed", response_model=None)
def feed(env: Env, principal: Reviewer, year: Annotated[int, Form()]) -> Response:
    """Write the year's supplier-specific figures as draft observations (reviewed later)."""
    figures = feed_scope3(env.session, year, actor=principal.username, catalog=env.catalog)
    return commit_and_redirect(env.session, f"/suppliers-scores?year={year}&fed={len(figures)}")
