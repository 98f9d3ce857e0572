"""The home page: what is waiting for this user. A reporter lands here after logging in.

Three lists, each item linking to the page where it is answered: what is due (the
collection campaigns' obligations), values and "not applicable" answers a reviewer
rejected, with the reviewer's reason, and comment threads waiting for this user's answer.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.answers.not_applicable import rejected_answers
from esgledger.answers.rejections import open_rejections
from esgledger.answers.threads import waiting_threads
from esgledger.auth.roles import Role
from esgledger.collection.due import due_for_user
from esgledger.web.render import Env, PageEnv

router = APIRouter()
SHOWN = 50  # per list; the rest is counted, and reached through entry and review pages
SHOWN_INPUTS = 5  # missing inputs named per due item


def landing_for(role: Role) -> str:
    """Where a user goes after logging in (unless a page asked for the login)."""
    return "/home" if role is Role.REPORTER else "/"


def _scope(env: PageEnv) -> list[str] | None:
    entities = env.principal.entities
    return None if entities is None else sorted(entities)


@router.get("/home", response_class=HTMLResponse)
def home(env: Env) -> HTMLResponse:
    """Due, rejected (and why), comments to answer: the reporter's working list."""
    scope = _scope(env)
    rejected = open_rejections(env.session, scope)
    na_rejected = rejected_answers(env.session, scope)
    waiting = waiting_threads(env.session, env.principal)
    due = due_items(env)
    return env.render(
        "home.html",
        json_href="/api/v1/comments",
        rejected=rejected[:SHOWN],
        rejected_more=max(0, len(rejected) - SHOWN),
        na_rejected=na_rejected[:SHOWN],
        waiting=list(reversed(waiting))[:SHOWN],
        waiting_more=max(0, len(waiting) - SHOWN),
        due=due[:SHOWN],
        due_more=max(0, len(due) - SHOWN),
        names={e.code: e.name(env.lang) for e in env.org},
    )


def due_items(env: PageEnv) -> list[dict]:
    """What the collection campaigns ask of this user and is not answered yet: per campaign
    and entity, how many owed items are open, the first inputs missing, the due date."""
    items = due_for_user(env.session, env.catalog, env.principal.username, date.today())
    return [
        {
            "entity": item.entity,
            "period": str(item.year),
            "href": f"/entry/{item.entity}/{item.year}",
            "what": env.t("home.due_what", title=item.title, missing=item.missing, owed=item.owed),
            "inputs": [env.indicator_name(i) for i in item.missing_indicators[:SHOWN_INPUTS]],
            "more_inputs": max(0, len(item.missing_indicators) - SHOWN_INPUTS),
            "deadline": item.due.isoformat(),
            "overdue": item.overdue,
        }
        for item in items
    ]
