"""Carbon assets page: the compliance gap per year, holdings, movements, and a form to
record a movement; retirements are written to market-based Scope 2 from here.

The page calls the same functions as ``/api/v1/carbon-assets`` and the CLI
(:mod:`esgledger.carbon_assets`); a reporter sees and works on its own sites only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from esgledger.api.deps import CurrentUser, Writer
from esgledger.carbon_assets.compliance import compliance_gap, holdings
from esgledger.carbon_assets.model import MovementIn
from esgledger.carbon_assets.register import list_movements, list_verified, save_movements
from esgledger.carbon_assets.rules import rules
from esgledger.carbon_assets.scope2_feed import feed_scope2
from esgledger.errors import EsgError
from esgledger.web.access import commit_and_redirect
from esgledger.web.render import Env

router = APIRouter()


def _overview(env: Env, error: str | None = None, chosen: dict | None = None) -> Response:
    movements = list_movements(env.session, env.principal)
    verified = list_verified(env.session, env.principal)
    return env.render(
        "carbon_assets.html",
        json_href="/api/v1/carbon-assets",
        movements=sorted(movements, key=lambda r: (r.payload["on"], r.key), reverse=True),
        holdings=holdings(movements).to_dicts(),
        gap=compliance_gap(movements, verified).to_dicts(),
        rules=rules(),
        sites=[e.code for e in env.org if env.principal.may_see(e.code)],
        error=error,
        chosen=chosen or {},
        status_code=400 if error else 200,
    )


@router.get("/carbon-assets", response_class=HTMLResponse)
def carbon_assets_page(env: Env, principal: CurrentUser) -> Response:
    """Compliance gap per year, holdings and movements."""
    return _overview(env)


@router.post("/carbon-assets/movements", response_model=None)
def record_movement(
    env: Env,
    principal: Writer,
    ref: Annotated[str, Form(max_length=120)],
    entity: Annotated[str, Form(max_length=40)],
    instrument: Annotated[str, Form(max_length=20)],
    kind: Annotated[str, Form(max_length=20)],
    quantity: Annotated[str, Form(max_length=40)],
    on: Annotated[str, Form(max_length=10)],
    compliance_year: Annotated[str, Form(max_length=4)] = "",
    period: Annotated[str, Form(max_length=7)] = "",
    serials: Annotated[str, Form(max_length=40)] = "",
    production_year: Annotated[str, Form(max_length=4)] = "",
    contract: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    """Record one movement; a refused one shows why, with the form as it was filled."""
    chosen = {"ref": ref, "entity": entity, "instrument": instrument, "kind": kind,
              "quantity": quantity, "on": on, "compliance_year": compliance_year,
              "period": period, "serials": serials, "production_year": production_year,
              "contract": contract}  # fmt: skip
    try:
        movement = MovementIn.model_validate(
            {k: (v.replace(",", "") if k == "quantity" else v) for k, v in chosen.items() if v}
        )
        codes = [e.code for e in env.org]
        save_movements(env.session, principal, [movement], codes)
    except EsgError as exc:
        env.session.rollback()
        return _overview(env, exc.text(env.lang), chosen)
    except ValidationError as exc:
        env.session.rollback()
        fields = ", ".join(env.t(f"carbon.field.{e['loc'][0]}") for e in exc.errors() if e["loc"])
        return _overview(env, env.t("carbon.bad_fields", fields=fields), chosen)
    return commit_and_redirect(env.session, "/carbon-assets")


@router.post("/carbon-assets/scope2-feed", response_model=None)
def feed(env: Env, principal: Writer) -> Response:
    """Write every month's retired green electricity as draft observations for review."""
    try:
        feed_scope2(env.session, env.catalog, actor=principal.username)
    except EsgError as exc:
        env.session.rollback()
        return _overview(env, exc.text(env.lang))
    return commit_and_redirect(env.session, "/carbon-assets?fed=1")
