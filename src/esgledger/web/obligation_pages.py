"""What an entity owes, in the browser (/obligations/{entity}): the inputs the rules ask
for, the entity's exceptions, and, for admins and group managers, the form to change them.

The form sends the whole owed list (the ticked rows and the inputs picked to add) with a
reason; :func:`esgledger.collection.obligations.owe_exactly` keeps what differs from the
rules as the entity's overrides, the same function the API's PUT calls. Campaigns,
completeness, the collection template and the reporter's home read the result.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import CurrentUser, Reviewer
from esgledger.auth.roles import REVIEWERS
from esgledger.collection.obligations import obligations_of, overrides_of, owe_exactly
from esgledger.errors import EsgError
from esgledger.ledger.calendar import reporting_years
from esgledger.web.access import PostedForm, commit_and_redirect, visible_entity
from esgledger.web.render import Env

router = APIRouter()


def _default_year(env: Env) -> int:
    years = reporting_years(env.session)
    return years[-1] if years else 2024


@router.get("/obligations/{entity}", response_class=HTMLResponse)
def obligations_page(
    env: Env, principal: CurrentUser, entity: str,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None, done: str | None = None,
) -> HTMLResponse:  # fmt: skip
    """The inputs ``entity`` owes for ``year``: by the rules, added, dropped."""
    return _page(env, entity, year or _default_year(env), saved=bool(done))


def _page(
    env: Env, entity: str, year: int, saved: bool = False, error: str | None = None
) -> HTMLResponse:
    shown = visible_entity(env, entity)
    rows = obligations_of(env.session, env.catalog, entity, year)
    listed = {row.indicator for row in rows}
    overrides = overrides_of(env.session, entity)
    return env.render(
        "obligations.html",
        json_href=f"/api/v1/obligations/{entity}?year={year}",
        entity=shown,
        year=year,
        years=reporting_years(env.session),
        rows=[(row, env.catalog.get(row.indicator)) for row in rows],
        others=[ind for ind in env.catalog.inputs() if ind.id not in listed],
        owed_count=sum(1 for row in rows if row.owed),
        reason=overrides.reason if overrides else "",
        may_edit=env.can(REVIEWERS),
        saved=saved,
        error=error,
        status_code=400 if error else 200,
    )


@router.post("/obligations/{entity}", response_model=None)
def change_obligations(
    env: Env,
    principal: Reviewer,
    entity: str,
    form: PostedForm,
    year: Annotated[int, Form(ge=1990, le=2100)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Owe exactly the ticked and added inputs; the difference from the rules needs a reason."""
    visible_entity(env, entity)
    owed = [*form.getlist("owed"), *form.getlist("add")]
    try:
        owe_exactly(env.session, env.catalog, principal.username, entity, year, owed, reason)
    except EsgError as exc:
        env.session.rollback()
        return _page(env, entity, year, error=exc.text(env.lang))
    return commit_and_redirect(env.session, f"/obligations/{entity}?year={year}&done=saved")
