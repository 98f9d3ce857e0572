"""The stakeholder survey, answered through a signed link without an account: ``/s/<token>``.

The link is the credential (no session, so no CSRF token: a forged cross-site post could
only spend the link its sender already holds). The page is in the link's language, else
the browser's, Chinese first; ``?lang=en`` switches. A refused link (forged, expired, used)
or a refused answer (a rating out of range) is shown on the page in that language, with
nothing recorded; a good answer is recorded with the link marked used, together.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from esgledger.api.deps import SessionDep
from esgledger.auth.links import LinkClaims, LinkRefused, link_used
from esgledger.errors import EsgError
from esgledger.materiality.model import load_method
from esgledger.materiality.survey import Answer, open_survey, submit_response
from esgledger.materiality.topics import year_topics
from esgledger.settings import link_key
from esgledger.web.i18n import LANGUAGES, translator
from esgledger.web.render import templates

router = APIRouter()
REFUSAL_STATUS = {"link.forged": 403, "link.expired": 410, "link.used": 409}
FIELD_SEPARATOR = "|"  # form field name: "<topic>|<dimension>"


def survey_language(request: Request, claims: LinkClaims | None) -> str:
    """?lang=, else the link's language, else the browser's if English first, else Chinese."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if claims and claims.subject.get("lang") in LANGUAGES:
        return str(claims.subject["lang"])
    accepted = (request.headers.get("accept-language") or "").strip().lower()
    return "en" if accepted.startswith("en") else "zh"


def _claims(request: Request, token: str) -> LinkClaims:
    return open_survey(link_key(request.app.state.settings), token, datetime.now(UTC))


@router.get("/s/{token}", response_class=HTMLResponse)
def survey_form(request: Request, session: SessionDep, token: str) -> Response:
    """The questionnaire of the link's stakeholder group, or why the link cannot be used."""
    try:
        claims = _claims(request, token)
        if link_used(session, claims.id):
            raise LinkRefused("this link was already used", code="link.used")
    except EsgError as exc:
        return _page(request, session, None, token, error=exc)
    return _page(request, session, claims, token)


@router.post("/s/{token}", response_class=HTMLResponse)
async def survey_answer(request: Request, session: SessionDep, token: str) -> Response:
    """Record the answer once; a refusal leaves the form filled in as it was sent."""
    form = await request.form()
    answers = [
        Answer(*name.split(FIELD_SEPARATOR, 1), value)  # type: ignore[arg-type]
        for name, value in form.multi_items()
        if FIELD_SEPARATOR in name and str(value).strip()
    ]
    try:
        claims = _claims(request, token)
    except EsgError as exc:
        return _page(request, session, None, token, error=exc)
    try:
        submit_response(session, claims, answers)
        session.commit()
    except EsgError as exc:
        session.rollback()
        chosen = {f"{a.topic}{FIELD_SEPARATOR}{a.dimension}": str(a.score) for a in answers}
        return _page(request, session, claims, token, error=exc, chosen=chosen)
    return _page(request, session, claims, token, thanks=True)


def _page(
    request: Request,
    session: Session,
    claims: LinkClaims | None,
    token: str,
    *,
    error: EsgError | None = None,
    thanks: bool = False,
    chosen: dict[str, str] | None = None,
) -> Response:
    lang = survey_language(request, claims)
    t = translator(lang)
    method = load_method()
    context = {"t": t, "lang": lang, "token": token, "thanks": thanks, "chosen": chosen or {}}
    context["error"] = error.text(lang) if error else None
    status = REFUSAL_STATUS.get(error.code or "", 400) if error else 200
    if claims and not thanks and not (error and error.code in REFUSAL_STATUS):
        group = method.group(str(claims.subject["group"]))
        context |= _questions(session, claims, group.id, lang)
        context["group_name"] = group.name(lang)
    return templates.TemplateResponse(request, "survey.html", context, status_code=status)


def _questions(session: Session, claims: LinkClaims, group: str, lang: str) -> dict:
    """The year's topics and the dimensions the group rates each one on."""
    method = load_method()
    topics = year_topics(session, int(claims.subject["year"]))
    return {
        "year": claims.subject["year"],
        "topics": [{"id": t.id, "name": t.name(lang), "dimension": t.dimension} for t in topics],
        "dimensions": method.asked(group),
        "scale": list(range(method.scale.min, method.scale.max + 1)),
    }
