"""A supplier questionnaire answered through a signed link without an account: ``/q/<token>``.

As the stakeholder survey (:mod:`esgledger.web.survey_page`): the link is the credential
(no session, no CSRF token); the page is in the link's language unless ``?lang=`` says
otherwise; a forged, expired or used link, or a refused answer, is shown on the page in
that language with nothing recorded; a good answer is recorded with the link marked used,
together. Built for a phone: one column, large controls.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from esgledger.api.deps import SessionDep
from esgledger.auth.links import LinkClaims, LinkRefused, link_used
from esgledger.errors import EsgError
from esgledger.settings import link_key
from esgledger.suppliers.model import questionnaire, units
from esgledger.suppliers.questionnaires import RawAnswer, open_questionnaire, submit_answer
from esgledger.suppliers.register import get_supplier
from esgledger.web.i18n import translator
from esgledger.web.render import templates
from esgledger.web.survey_page import REFUSAL_STATUS, survey_language

router = APIRouter()


def _claims(request: Request, token: str) -> LinkClaims:
    return open_questionnaire(link_key(request.app.state.settings), token, datetime.now(UTC))


@router.get("/q/{token}", response_class=HTMLResponse)
def questionnaire_form(request: Request, session: SessionDep, token: str) -> Response:
    """The questionnaire of the link, or why the link cannot be used."""
    try:
        claims = _claims(request, token)
        if link_used(session, claims.id):
            raise LinkRefused("this link was already used", code="link.used")
    except EsgError as exc:
        return _page(request, session, None, error=exc)
    return _page(request, session, claims)


def raw_answer(items: list[tuple[str, str]]) -> RawAnswer:
    """Form fields ``v.<question>`` and ``l.<question>.<row>.<column>`` as a RawAnswer."""
    values: dict[str, str] = {}
    lines: dict[str, dict[int, dict[str, str]]] = {}
    for name, value in items:
        kind, _, rest = name.partition(".")
        if kind == "v":
            values[rest] = value
        elif kind == "l" and rest.count(".") == 2:
            question, row, column = rest.split(".")
            if row.isdigit():
                lines.setdefault(question, {}).setdefault(int(row), {})[column] = value
    return RawAnswer(values, {q: [rows[n] for n in sorted(rows)] for q, rows in lines.items()})


@router.post("/q/{token}", response_class=HTMLResponse)
async def questionnaire_answer(request: Request, session: SessionDep, token: str) -> Response:
    """Record the answer once; a refusal leaves the form filled in as it was sent."""
    form = await request.form()
    items = [(name, str(value)) for name, value in form.multi_items()]
    try:
        claims = _claims(request, token)
    except EsgError as exc:
        return _page(request, session, None, error=exc)
    try:
        submit_answer(session, claims, raw_answer(items), datetime.now(UTC))
        session.commit()
    except EsgError as exc:
        session.rollback()
        return _page(request, session, claims, error=exc, chosen=dict(items))
    return _page(request, session, claims, thanks=True)


def _page(
    request: Request, session: Session, claims: LinkClaims | None, *,
    error: EsgError | None = None, thanks: bool = False, chosen: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    lang = survey_language(request, claims)
    context = {"t": translator(lang), "lang": lang, "thanks": thanks, "chosen": chosen or {}}
    context["error"] = error.text(lang) if error else None
    status = REFUSAL_STATUS.get(error.code or "", 400) if error else 200
    if claims and not thanks and not (error and error.code in REFUSAL_STATUS):
        supplier, _ = get_supplier(session, str(claims.subject["supplier"]))
        context |= {
            "form": questionnaire(str(claims.subject["kind"])),
            "supplier_name": supplier.name(lang),
            "year": claims.subject["year"],
            "units": units(),
        }
    return templates.TemplateResponse(
        request, "supplier_questionnaire.html", context, status_code=status
    )
