"""Restating a value of a locked period from the browser: a group manager or an admin
corrects a figure with a reason, and the new revision is flagged as a restatement.

The page calls the same ``ledger.entry.restate`` as ``POST /api/v1/workflow/restate``
(entity, indicator, unit and lock are checked there); a refusal is shown on the form.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Reviewer
from esgledger.errors import EsgError
from esgledger.ledger.entry import restate
from esgledger.ledger.imports.resolve import number_text
from esgledger.ledger.locks import locked_periods
from esgledger.web.access import commit_and_redirect, tree_order
from esgledger.web.render import Env

router = APIRouter()


@router.get("/restate", response_class=HTMLResponse)
def restate_form(
    env: Env,
    principal: Reviewer,
    entity: str = "",
    period: str = "",
    indicator: str = "",
) -> HTMLResponse:
    """The form, filled in when a history page links here for one observation."""
    unit = env.catalog.get(indicator).unit if indicator in env.catalog else ""
    chosen = {"entity": entity, "period": period, "indicator": indicator, "unit": unit}
    return _form(env, chosen)


def _form(env: Env, chosen: dict[str, str], error: str | None = None) -> HTMLResponse:
    return env.render(
        "restate.html",
        json_href="/api/v1/workflow/restate",
        chosen=chosen,
        entities=tree_order(env.org),
        indicators=env.catalog.inputs(),
        locked=sorted(str(p) for p in locked_periods(env.session)),
        error=error,
        status_code=400 if error else 200,
    )


@router.post("/restate", response_model=None)
def restate_value(
    env: Env,
    principal: Reviewer,
    entity: Annotated[str, Form(max_length=40)],
    period: Annotated[str, Form(max_length=40)],
    indicator: Annotated[str, Form(max_length=200)],
    value: Annotated[str, Form(max_length=100)],
    unit: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Record the corrected value; the browser then sees the observation's history."""
    chosen = {"entity": entity, "period": period, "indicator": indicator, "unit": unit}
    chosen |= {"value": value, "reason": reason}
    try:
        number = _number(env, value)
        restate(
            env.session, principal.username, env.catalog, entity, period, indicator,
            number, unit, reason,
        )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _form(env, chosen, error=exc.message)
    return commit_and_redirect(env.session, f"/observations/{entity}/{period}/{indicator}")


def _number(env: Env, text: str) -> float:
    """The typed value as a number (full-width digits and separators allowed)."""
    try:
        number = float(number_text(text))
    except ValueError:
        raise EsgError(env.t("restate.not_a_number", value=text)) from None
    if not math.isfinite(number):
        raise EsgError(env.t("restate.not_a_number", value=text))
    return number
