"""The inbox (/inbox, everyone) and the campaigns pages (/campaigns, group managers open
campaigns; admins, managers and auditors follow their progress per entity).

Opening a campaign writes it and its notices, commits, then queues the job that mails the
notices: the request sends nothing itself. Reminders are written by the worker's daily job
(or `esgledger campaign remind`), never here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from esgledger.api.deps import CurrentUser, Reviewer
from esgledger.api.errors import Forbidden
from esgledger.api.routers.jobs import app_jobs
from esgledger.auth.roles import REVIEWERS, SEES_ALL
from esgledger.collection.campaigns import (
    create_campaign,
    get_campaign,
    list_campaigns,
    progress,
    schedule_from,
)
from esgledger.errors import EsgError
from esgledger.notices import inbox_for, mark_all_read, mark_read
from esgledger.web.access import PostedForm
from esgledger.web.render import Env

router = APIRouter()


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(env: Env, principal: CurrentUser) -> HTMLResponse:
    """The user's notices, newest first, unread ones marked."""
    notices = inbox_for(env.session, principal.username)
    rows = [
        {
            "notice": n,
            "text": _text(env, n.kind, n.params),
            "entity": env.code_label(n.entity) if n.entity else "",
        }
        for n in notices
    ]
    unread = sum(1 for n in notices if not n.read)
    return env.render("inbox.html", json_href="/api/v1/notices", rows=rows, unread_here=unread)


def _text(env: Env, kind: str, params: dict[str, str]) -> str:
    """The notice in the page's language; a kind without a text says its name."""
    key = f"notices.kind.{kind}"
    found = env.t(key, **params)
    return env.t("notices.kind.unknown", kind=kind) if found == key else found


@router.post("/inbox/read-all", response_model=None)
def read_all(env: Env, principal: CurrentUser, form: PostedForm) -> Response:
    mark_all_read(env.session, principal.username)
    env.session.commit()
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/open", response_model=None)
def open_notice(
    env: Env, principal: CurrentUser, form: PostedForm, key: Annotated[str, Form(max_length=160)]
) -> Response:
    """Mark the notice read and go where it points (the inbox when nowhere)."""
    notice = mark_read(env.session, principal.username, key)
    env.session.commit()
    target = (
        notice.link
        if notice.link and notice.link.startswith("/") and not notice.link.startswith("//")
        else "/inbox"
    )
    return RedirectResponse(target, status_code=303)


def _seeing_all(env: Env) -> None:
    if not env.can(SEES_ALL):
        raise Forbidden.coded("page.campaigns_forbidden")


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(env: Env, principal: CurrentUser) -> HTMLResponse:
    """Every campaign with how many entities are complete and overdue, and the form to open one."""
    return _campaigns(env)


def _campaigns(env: Env, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    _seeing_all(env)
    today = date.today()
    rows = []
    for campaign in list_campaigns(env.session):
        frame = progress(env.session, env.catalog, campaign, today)
        rows.append(
            {
                "campaign": campaign,
                "entities": frame.height,
                "complete": int(frame["complete"].sum()),
                "overdue": int((frame["overdue_days"] > 0).sum()),
            }
        )
    return env.render(
        "campaigns.html",
        json_href="/api/v1/campaigns",
        rows=rows,
        may_open=env.can(REVIEWERS),
        error=error,
        today=today,
        status_code=status_code,
    )


def _days(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise EsgError.coded("campaign.bad_field", field="days", problem=text) from None


@router.post("/campaigns", response_model=None)
def open_campaign_page(
    env: Env,
    principal: Reviewer,
    form: PostedForm,
    name: Annotated[str, Form(max_length=60)],
    year: Annotated[int, Form(ge=1990, le=2100)],
    due: Annotated[date, Form()],
    title: Annotated[str, Form(max_length=200)] = "",
    before: Annotated[str, Form(max_length=60)] = "14,3",
    after: Annotated[str, Form(max_length=60)] = "1,7",
    escalate: Annotated[int, Form(ge=0, le=365)] = 10,
) -> Response:
    """Open a campaign to every entity owing inputs; then queue the mail job."""
    try:
        schedule = schedule_from(_days(before), _days(after), escalate)
        create_campaign(
            env.session, env.catalog, principal.username, name.strip(), year=year, due=due,
            title=title.strip() or None, schedule=schedule,
        )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _campaigns(env, error=exc.text(env.lang), status_code=400)
    env.session.commit()
    app_jobs(env.request).submit(
        "notice_delivery", {}, principal.username, env.request.app.state.database
    )
    return RedirectResponse(f"/campaigns/{name.strip()}", status_code=303)


@router.get("/campaigns/{name}", response_class=HTMLResponse)
def campaign_page(env: Env, principal: CurrentUser, name: str) -> HTMLResponse:
    """One campaign: each entity's owners, owed and answered items, days overdue."""
    _seeing_all(env)
    campaign = get_campaign(env.session, name)
    today = date.today()
    frame = progress(env.session, env.catalog, campaign, today)
    rows = [{**row, "label": env.code_label(row["entity"])} for row in frame.to_dicts()]
    return env.render(
        "campaign_progress.html",
        json_href=f"/api/v1/campaigns/{name}",
        campaign=campaign,
        rows=rows,
        complete=sum(1 for r in rows if r["complete"]),
        overdue=sum(1 for r in rows if r["overdue_days"] > 0),
        today=today,
    )
