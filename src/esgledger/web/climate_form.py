"""Adding or changing a climate risk or opportunity from the browser.

The form posts plain fields; they become an item's fields (lists split at commas, an
effect only when one of its amounts is given) and go through the same
:func:`esgledger.climate_risks.service.save_item` as ``PUT /api/v1/climate/risks/{key}``.
Every problem is shown by its field in the page's language and nothing is saved; an edit
made on a stale version is refused (someone changed the item meanwhile).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Writer
from esgledger.climate_risks.register import get_item
from esgledger.climate_risks.scales import load_scales
from esgledger.climate_risks.service import save_item
from esgledger.climate_risks.workbook import DERIVED_PARTS, EFFECT_PARTS, EFFECTS, LISTS
from esgledger.errors import EsgError, ValidationFailed
from esgledger.settings import targets_file
from esgledger.web.access import commit_and_redirect, tree_order
from esgledger.web.render import Env

router = APIRouter()
TEXTS = ("key", "category", "title_en", "title_zh", "description_zh", "description_en",
         "horizon", "likelihood", "impact", "response_zh", "response_en", "owner")  # fmt: skip
MAX_FIELD = 4000


@router.get("/climate/edit", response_class=HTMLResponse)
def edit_form(env: Env, principal: Writer, key: str = "") -> HTMLResponse:
    """The form: empty for a new item, filled in from the current version otherwise."""
    if not key:
        return _form(env, {"expected_version": "0", "horizon": "medium"})
    stored = get_item(env.session, key, principal.entities)
    return _form(env, form_values(stored.item.model_dump(mode="json"), stored.version))


def form_values(fields: dict[str, Any], version: int) -> dict[str, str]:
    """An item's fields as the form's flat text values."""
    values = {name: "" if fields.get(name) is None else str(fields[name]) for name in TEXTS}
    values.update({name: ", ".join(fields.get(name) or []) for name in LISTS})
    for name, short in EFFECTS.items():
        effect = fields.get(name) or {}
        values.update({f"{short}_{p}": _text(effect.get(p)) for p in EFFECT_PARTS})
    derived = fields.get("derived_effect") or {}
    values.update({f"derived_{p}": _text(derived.get(p)) for p in DERIVED_PARTS})
    values["expected_version"] = str(version)
    return values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def item_fields(values: dict[str, str]) -> dict[str, Any]:
    """The form's text values as an item's fields (blank fields left out)."""
    fields: dict[str, Any] = {n: values[n].strip() for n in TEXTS if values.get(n, "").strip()}
    for name in LISTS:
        fields[name] = [p.strip() for p in values.get(name, "").split(",") if p.strip()]
    for name, short in EFFECTS.items():
        parts = {p: values.get(f"{short}_{p}", "").strip() for p in EFFECT_PARTS}
        if parts["low"] or parts["high"]:
            fields[name] = {p: v for p, v in parts.items() if v}
    derived = {p: values.get(f"derived_{p}", "").strip() for p in DERIVED_PARTS}
    if derived["year"]:
        fields["derived_effect"] = {p: v for p, v in derived.items() if v}
    return fields


@router.post("/climate/edit", response_model=None)
async def save_form(env: Env, principal: Writer, request: Request) -> Response:
    """Save the item and show it; or show the form again with every problem."""
    form = await request.form()
    values = {k: str(v)[:MAX_FIELD] for k, v in form.items() if k != "csrf_token"}
    settings = request.app.state.settings
    targets = targets_file(settings.targets) if settings.targets else None
    version = values.get("expected_version", "").strip()
    try:
        stored = save_item(
            env.session, env.catalog, targets, item_fields(values), actor=principal.username,
            scope=principal.entities, expected_version=int(version) if version.isdigit() else None,
            reason=values.get("reason") or None,
        )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _form(env, values, exc)
    return commit_and_redirect(env.session, f"/climate/item/{stored.item.key}")


def _form(env: Env, values: dict[str, str], error: EsgError | None = None) -> HTMLResponse:
    problems = []
    if isinstance(error, ValidationFailed):
        problems = [
            {"field": p.location.column, "text": p.explained(env.lang), "value": p.value}
            for p in error.problems
        ]
    return env.render(
        "climate_form.html",
        json_href="/api/v1/climate/risks",
        values=values,
        error=error.render(env.lang).splitlines()[0] if error else None,
        problems=problems,
        scales=load_scales(),
        entities=[e for e in tree_order(env.org) if env.principal.may_see(e.code)],
        status_code=422 if error else 200,
    )
