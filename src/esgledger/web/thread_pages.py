"""One value's page of answers: its comment thread, a "not applicable" answer, and the
rejection it may be waiting on; with the forms to reply, to answer N/A or withdraw it, and
(for reviewers) to accept or reject an N/A.

Replies may also come from the entry, review and history pages: their reply boxes post
here with ``next`` (a local path) to return to. Who may do what is in auth/roles.py:
``COMMENTERS`` (auditors too), ``NA_DECLARERS`` and ``NA_REVIEWERS``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from esgledger.answers import not_applicable as na
from esgledger.answers.notify import tell
from esgledger.answers.rejections import open_rejections
from esgledger.answers.threads import reply, thread_of
from esgledger.api.errors import Forbidden
from esgledger.auth.roles import COMMENTERS, NA_DECLARERS, NA_REVIEWERS
from esgledger.errors import EsgError, Phrase
from esgledger.ledger.calendar import is_locked, locked_periods
from esgledger.ledger.records import RecordConflict
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.web.access import PostedForm, commit_and_redirect, entry_period, visible_entity
from esgledger.web.render import Env, PageEnv
from esgledger.web.session_pages import safe_next

router = APIRouter()
PATH = "/threads/{entity}/{period}/{indicator}"
DONE = ("replied", "declared", "withdrawn", "accepted", "rejected")


def _current(env: PageEnv, entity: str, period: str, indicator: str):
    found = latest_revisions(env.session, Selection([entity], [period], [indicator]))
    return found[0] if found and not found[0].is_tombstone else None


def _checked(env: PageEnv, entity: str, period: str, indicator: str) -> tuple[str, object]:
    """The period as written canonically and the indicator; 404s for what may not be seen."""
    visible_entity(env, entity)
    shown = str(entry_period(period))
    return shown, env.catalog.get(indicator)


@router.get(PATH, response_class=HTMLResponse)
def thread_page(env: Env, entity: str, period: str, indicator: str, done: str | None = None):
    """The value, its rejection or N/A answer, its thread and the forms to answer."""
    notice = env.t(f"thread.done.{done}") if done in DONE else None
    return show(env, entity, period, indicator, notice=notice)


def show(
    env: PageEnv, entity: str, period: str, indicator: str, *, code: int = 200, **context
) -> HTMLResponse:
    period, spec = _checked(env, entity, period, indicator)
    owner = env.org.get(entity)
    current = _current(env, entity, period, indicator)
    answer = na.current_answers(env.session, [entity], [period]).get((entity, period, indicator))
    key = na.na_key(entity, period, indicator)
    na_rejected = next(
        (v for v in na.rejected_answers(env.session, [entity]) if v.key == key), None
    )
    rejection = next(
        (r for r in open_rejections(env.session, [entity], [period]) if r.indicator == indicator),
        None,
    )
    locked = is_locked(entry_period(period), locked_periods(env.session))
    thread = thread_of(env.session, entity, period, indicator)
    return env.render(
        "value_thread.html",
        json_href=f"/api/v1/comments?entity={entity}&period={period}&indicator={indicator}",
        status_code=code,
        entity=owner, period=period, spec=spec, current=current, answer=answer,
        na_rejected=na_rejected, rejection=rejection, thread=thread,
        waiting=thread.waiting_for(env.principal),
        may_comment=env.can(COMMENTERS),
        may_declare=env.can(NA_DECLARERS) and not locked and current is None,
        may_withdraw=env.can(NA_DECLARERS) and not locked and answer is not None,
        may_decide=env.can(NA_REVIEWERS) and answer is not None and not answer.accepted_by,
        **{"notice": None, "error": None, "text": "", **context},
    )  # fmt: skip


@router.post(PATH, response_model=None)
def post_reply(env: Env, form: PostedForm, entity: str, period: str, indicator: str) -> Response:
    """Add a comment to the value's thread and tell the other side; back to ``next``."""
    if not env.can(COMMENTERS):
        raise Forbidden.coded(
            "page.may_not_comment", role=Phrase.of(f"user_role.{env.principal.role.value}")
        )
    period, _spec = _checked(env, entity, period, indicator)
    # a form holding several periods' threads (the review page) names each box by period
    text = str(form.get(f"reply.{period}.{indicator}") or form.get("text") or "")
    try:
        _comment, told = reply(env.session, env.principal, entity, period, indicator, text)
    except EsgError as exc:
        return show(env, entity, period, indicator, code=422, error=exc.text(env.lang), text=text)
    tell(env.session, env.principal.username, "comment", told, entity, period, indicator)
    return commit_and_redirect(env.session, _back_to(form, entity, period, indicator, "replied"))


@router.post(PATH + "/na", response_model=None)
def post_na(env: Env, form: PostedForm, entity: str, period: str, indicator: str) -> Response:
    """Answer N/A, withdraw it (writers), or accept or reject it (reviewers)."""
    action = str(form.get("action") or "")
    period, _spec = _checked(env, entity, period, indicator)
    reason = str(form.get(f"na_reason.{period}.{indicator}") or form.get("reason") or "")
    allowed = NA_REVIEWERS if action in ("accept", "reject") else NA_DECLARERS
    if not env.can(allowed):
        raise Forbidden.coded(
            "page.may_not_answer",
            role=Phrase.of(f"user_role.{env.principal.role.value}"),
            action=action or "answer",
        )
    try:
        done = _apply(env, action, entity, period, indicator, reason)
    except (EsgError, RecordConflict) as exc:
        env.session.rollback()
        return show(env, entity, period, indicator, code=422, error=exc.text(env.lang))
    return commit_and_redirect(env.session, _back_to(form, entity, period, indicator, done))


def _back_to(form: FormData, entity: str, period: str, indicator: str, done: str) -> str:
    """The page the answer was sent from, at the value's thread; else the thread's page."""
    back = safe_next(str(form.get("next") or ""), "")
    if back:
        return f"{back}#thread-{period}-{indicator}"
    return f"/threads/{entity}/{period}/{indicator}?done={done}"


def _apply(env: PageEnv, action: str, entity: str, period: str, indicator: str, reason: str):
    """Carry out one N/A action; returns the ``done`` word of the page it leads to."""
    user = env.principal.username
    if action in ("declare", "withdraw") and is_locked(
        entry_period(period), locked_periods(env.session)
    ):
        raise EsgError.coded("na_answer.locked", period=period)
    if action == "declare":
        has_value = _current(env, entity, period, indicator) is not None
        na.declare(env.session, user, entity, period, indicator, reason, has_value=has_value)
        return "declared"
    if action == "withdraw":
        na.withdraw(env.session, user, entity, period, indicator)
        return "withdrawn"
    answer = na.current_answers(env.session, [entity], [period]).get((entity, period, indicator))
    accept = action == "accept"
    na.decide(env.session, user, entity, period, indicator, accept=accept, reason=reason)
    if not accept and answer is not None:
        tell(env.session, user, "na_rejected", {answer.author}, entity, period, indicator,
             reason=reason.strip())  # fmt: skip
    return "accepted" if accept else "rejected"
