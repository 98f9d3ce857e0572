"""Report texts in the browser: a year's blocks with where each stands, the form that
writes one in Chinese and English, and a block's page with its review steps and history.

Every step goes through :mod:`esgledger.narrative.workflow`, the same calls as
``/api/v1/narrative``; a refused step (approving one's own text, a stale edit, a missing
language) is shown on the page in its language and nothing is written.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Writer
from esgledger.auth.roles import REVIEWERS, WRITERS
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import field_changes
from esgledger.narrative import workflow
from esgledger.narrative.kinds import load_kinds
from esgledger.narrative.model import Content
from esgledger.narrative.reads import StoredBlock, block_history, get_block, year_blocks
from esgledger.web.access import PostedForm, commit_and_redirect, take_step
from esgledger.web.render import Env

router = APIRouter()
TEXTS = ("title_zh", "title_en", "text_zh", "text_en")
MAX_FIELD = 20_000


@router.get("/narrative", response_class=HTMLResponse)
def blocks_page(env: Env, year: int | None = None) -> HTMLResponse:
    """The year's blocks, each with its status and version, and the kinds still missing."""
    chosen = year or date.today().year - 1
    blocks = year_blocks(env.session, chosen)
    present = {b.block.kind for b in blocks}
    return env.render(
        "narr_list.html",
        json_href=f"/api/v1/narrative/blocks?year={chosen}",
        year=chosen,
        blocks=blocks,
        kinds=load_kinds(),
        missing=[k for k in load_kinds().values() if k.several or k.id not in present],
        may_write=env.can(frozenset(WRITERS)),
    )


@router.get("/narrative/edit", response_class=HTMLResponse)
def edit_form(env: Env, principal: Writer, key: str = "", kind: str = "", year: int = 0):
    """The form: a new block of ``kind`` for ``year``, or the newest version of ``key``."""
    if key:
        current = get_block(env.session, key)
        values = form_values(current.block.model_dump(mode="json"), current.version)
    else:
        answers = load_kinds()[kind].answers if kind in load_kinds() else ()
        values = {"kind": kind, "year": str(year or date.today().year - 1),
                  "answers": ", ".join(answers), "expected_version": "0"}  # fmt: skip
    return _form(env, values)


def form_values(fields: dict[str, Any], version: int) -> dict[str, str]:
    """A block's fields as the form's flat text values."""
    values = {name: str(fields.get(name) or "") for name in Content.model_fields}
    values["answers"] = ", ".join(fields.get("answers") or [])
    values["expected_version"] = str(version)
    return values


def content_fields(values: dict[str, str]) -> dict[str, Any]:
    """The form's text values as the fields the workflow checks."""
    fields: dict[str, Any] = {n: values.get(n, "") for n in Content.model_fields}
    fields["answers"] = [a.strip() for a in values.get("answers", "").split(",") if a.strip()]
    fields["year"] = values.get("year", "").strip() or 0
    return fields


@router.post("/narrative/edit", response_model=None)
def save_form(env: Env, principal: Writer, form: PostedForm) -> Response:
    """Save the text as a new draft version and show the block; or the form with the error."""
    values = {k: str(v)[:MAX_FIELD] for k, v in form.items() if k != "csrf_token"}
    version = values.get("expected_version", "0").strip()
    try:
        saved = workflow.save_block(
            env.session, env.catalog, principal, content_fields(values),
            expected_version=int(version) if version.isdigit() else 0,
            reason=values.get("reason") or None,
        )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _form(env, values, exc.render(env.lang))
    return commit_and_redirect(env.session, f"/narrative/block/{saved.key}")


def _form(env: Env, values: dict[str, str], error: str | None = None) -> HTMLResponse:
    return env.render(
        "narr_form.html",
        json_href="/api/v1/narrative/blocks",
        values=values,
        kinds=load_kinds(),
        error=error,
        status_code=422 if error else 200,
    )


@router.get("/narrative/block/{key}", response_class=HTMLResponse)
def block_page(env: Env, key: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    """One block in both languages, its next step, and every version with what changed."""
    current = get_block(env.session, key)
    history = block_history(env.session, key)
    return env.render(
        "narr_block.html",
        json_href=f"/api/v1/narrative/blocks/{key}",
        current=current,
        kind=load_kinds()[current.block.kind],
        answers=answer_labels(env, current.block.answers or kind_answers(current)),
        history=[version_row(history, i) for i in reversed(range(len(history)))],
        may_write=env.can(frozenset(WRITERS)),
        may_review=env.can(frozenset(REVIEWERS)),
        error=error,
        status_code=status,
    )


def kind_answers(current: StoredBlock) -> tuple[str, ...]:
    return load_kinds()[current.block.kind].answers


def answer_labels(env: Env, answers: tuple[str, ...]) -> list[str]:
    """Each answered item as a reader cites it: framework, code and title in the page's
    language (GRI 2-22 关于可持续发展战略的声明; 上交所指引 第53条 ...)."""
    labels = []
    for answer in answers:
        framework, _, code = answer.partition(":")
        item = next(i for i in env.catalog.framework_items(framework) if i.code == code)
        cited = item.code_zh if env.lang == "zh" and item.code_zh else item.code
        labels.append(f"{env.t(f'narr.framework.{framework}')} {cited} {item.title(env.lang)}")
    return labels


def version_row(history: list[StoredBlock], index: int) -> dict[str, Any]:
    """One version: who, when, why, its status, and each field it changed (texts as a
    line diff against the version before)."""
    this = history[index]
    before = history[index - 1].block.model_dump(mode="json") if index else None
    after = this.block.model_dump(mode="json")
    changes = []
    for change in field_changes(before, after):
        if change.field in TEXTS:
            lines = difflib.ndiff(
                str(change.before or "").splitlines(), str(change.after or "").splitlines()
            )
            diff = [(line[0], line[2:]) for line in lines if line[:1] in "+-"]
            changes.append({"field": change.field, "diff": diff})
    return {"stored": this, "changes": changes}


@router.post("/narrative/block/{key}/{step}", response_model=None)
def block_step(env: Env, principal: Writer, form: PostedForm, key: str, step: str) -> Response:
    """Submit, approve or return a block; a refused step changes nothing."""
    version = str(form.get("expected_version") or "0")
    expected = int(version) if version.isdigit() else 0
    comment = str(form.get("comment") or "")[:2000]
    session = env.session
    steps = {
        "submit": lambda: workflow.submit_block(session, principal, key, expected_version=expected),
        "approve": lambda: workflow.approve_block(
            session, principal, key, expected_version=expected, comment=comment
        ),
        "return": lambda: workflow.return_block(
            session, principal, key, expected_version=expected, comment=comment
        ),
    }
    return take_step(
        env,
        steps,
        step,
        lambda error: block_page(env, key, error=error, status=422),
        f"/narrative/block/{key}",
    )
