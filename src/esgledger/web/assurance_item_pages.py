"""The workpaper of one sampled value (tick marks, queries and answers, findings) and the
page where a reporter answers an auditor's query.

A query is posted to the reporter's inbox (``esgledger.notices``) with a link to its page
here; the answer appears on the auditor's workpaper, who closes the query when satisfied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse

from esgledger.assurance.engagements import engagement, of_engagement
from esgledger.assurance.model import FINDINGS, ITEMS, QUERIES, SEVERITIES, tick_marks
from esgledger.assurance.population import EVIDENCE_LINKS
from esgledger.assurance.service import notify_query
from esgledger.assurance.workpapers import (
    answer,
    ask,
    close_query,
    item_key,
    mark_item,
    raise_finding,
    update_finding,
)
from esgledger.auth.roles import ASSURERS, REVIEWERS, Role
from esgledger.auth.service import list_users
from esgledger.errors import EsgError
from esgledger.ledger.files import read_file
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.ledger.revisions import history
from esgledger.settings import files_folder
from esgledger.web.access import commit_and_redirect
from esgledger.web.render import Env

router = APIRouter()
Text = Annotated[str, Form(max_length=4000)]
Code = Annotated[str, Form(max_length=40)]
Entity = Annotated[str, Form(max_length=40)]
Period = Annotated[str, Form(max_length=10)]
Indicator = Annotated[str, Form(max_length=120)]


def item_href(code: str, entity: str, period: str, indicator: str) -> str:
    query = urlencode({"code": code, "entity": entity, "period": period, "indicator": indicator})
    return f"/assurance/item?{query}"


def _recipients(env: Env, entity: str) -> list[str]:
    """Who may be asked about a value: its entity's reporters and the group's managers."""
    found = []
    for user, entities in list_users(env.session):
        if not user.active:
            continue
        if (
            user.role == Role.REPORTER.value and entity in entities
        ) or user.role == "group-manager":
            found.append(user.username)
    return found


def _item(env: Env, code: str, value: dict, error: str | None = None) -> Response:
    found = engagement(env.session, code)
    same = lambda r: all(r.payload.get(k) == value[k] for k in value)  # noqa: E731
    evidence = [
        r.payload
        for r in current_records(env.session, EVIDENCE_LINKS, entities=[value["entity"]])
        if same(r)
    ]
    return env.render(
        "assurance_item.html",
        engagement=found,
        value=value,
        history=history(env.session, value["entity"], value["period"], value["indicator"]),
        item=current_record(env.session, ITEMS, item_key(code, *value.values())),
        queries=[r for r in of_engagement(env.session, QUERIES, code) if same(r)],
        findings=[r for r in of_engagement(env.session, FINDINGS, code) if same(r)],
        evidence=evidence,
        ticks=tick_marks(),
        severities=SEVERITIES,
        recipients=_recipients(env, value["entity"]),
        may_write=env.can(ASSURERS),
        error=error,
        status_code=400 if error else 200,
    )


@router.get("/assurance/item", response_class=HTMLResponse)
def item_page(env: Env, code: str, entity: str, period: str, indicator: str) -> Response:
    """One sampled value: its history, evidence, tick marks, queries and findings."""
    if not env.can(ASSURERS | REVIEWERS):
        return commit_and_redirect(env.session, "/assurance")
    value = {"entity": entity, "period": period, "indicator": indicator}
    return _item(env, code, value)


def _after(env: Env, code: str, value: dict, action: Callable[[], object]) -> Response:
    """Run one write; on a user's mistake show the workpaper again with the message."""
    try:
        action()
    except EsgError as exc:
        env.session.rollback()
        return _item(env, code, value, exc.text(env.lang))
    return commit_and_redirect(env.session, item_href(code, *value.values()))


@router.post("/assurance/ticks", response_model=None)
def ticks(
    env: Env,
    code: Code,
    entity: Entity,
    period: Period,
    indicator: Indicator,
    tick: Annotated[list[str] | None, Form()] = None,
    note: Text = "",
) -> Response:
    value = {"entity": entity, "period": period, "indicator": indicator}
    return _after(
        env,
        code,
        value,
        lambda: mark_item(env.session, env.principal, code, value, tick or [], note),
    )


@router.post("/assurance/query", response_model=None)
def new_query(
    env: Env,
    code: Code,
    entity: Entity,
    period: Period,
    indicator: Indicator,
    recipient: Annotated[str, Form(max_length=80)],
    question: Text,
) -> Response:
    value = {"entity": entity, "period": period, "indicator": indicator}

    def send() -> None:
        query = ask(env.session, env.principal, code, value, recipient, question)
        notify_query(env.session, query, env.principal.username)

    return _after(env, code, value, send)


@router.post("/assurance/answer", response_model=None)
def record_answer(env: Env, key: Annotated[str, Form(max_length=160)], text: Text) -> Response:
    """An answer: from the reporter's query page, or recorded by the auditor."""
    if current_record(env.session, QUERIES, key) is None:
        return commit_and_redirect(env.session, "/assurance")
    if not env.can(ASSURERS):
        try:
            answer(env.session, env.principal, key, text)
        except EsgError as exc:
            env.session.rollback()
            return _query_page(env, key, exc.text(env.lang))
        return commit_and_redirect(env.session, f"/assurance/query?key={key}")
    return _after_record(env, QUERIES, key, lambda: answer(env.session, env.principal, key, text))


@router.post("/assurance/close", response_model=None)
def close(env: Env, key: Annotated[str, Form(max_length=160)]) -> Response:
    return _after_record(env, QUERIES, key, lambda: close_query(env.session, env.principal, key))


@router.post("/assurance/finding", response_model=None)
def new_finding(
    env: Env,
    code: Code,
    entity: Entity,
    period: Period,
    indicator: Indicator,
    severity: Annotated[str, Form(max_length=10)],
    title: Text,
) -> Response:
    value = {"entity": entity, "period": period, "indicator": indicator}
    return _after(
        env,
        code,
        value,
        lambda: raise_finding(env.session, env.principal, code, value, severity, title),
    )


@router.post("/assurance/finding/update", response_model=None)
def change_finding(
    env: Env,
    key: Annotated[str, Form(max_length=160)],
    status: Annotated[str, Form(max_length=12)],
    response: Text = "",
) -> Response:
    return _after_record(
        env, FINDINGS, key,
        lambda: update_finding(env.session, env.principal, key, status, response),
    )  # fmt: skip


def _after_record(env: Env, register: str, key: str, step: Callable[[], object]) -> Response:
    """Run ``step`` on a query or finding, then go back to its value's workpaper; a record
    that is gone (a stale page) leads back to the engagements."""
    record = current_record(env.session, register, key)
    if record is None:
        return commit_and_redirect(env.session, "/assurance")
    value = {k: record.payload[k] for k in ("entity", "period", "indicator")}
    return _after(env, record.payload["engagement"], value, step)


def _query_page(env: Env, key: str, error: str | None = None) -> Response:
    query = current_record(env.session, QUERIES, key)
    visible = query is not None and (
        env.can(ASSURERS | REVIEWERS)
        or query.payload["recipient"] == env.principal.username
        or env.principal.may_see(query.entity or "")
    )
    return env.render(
        "assurance_query.html",
        query=query if visible else None,
        error=error,
        status_code=400 if error else (200 if visible else 404),
    )


@router.get("/assurance/query", response_class=HTMLResponse)
def query_page(env: Env, key: str = "") -> Response:
    """A query to the reporter: the question, the value it is about, the answer form."""
    return _query_page(env, key)


@router.get("/assurance/files/{sha256}", response_model=None)
def evidence_file(env: Env, sha256: str) -> Response:
    """An evidence file behind a value, for the auditor; re-hashed on the way out."""
    linked = any(
        r.payload.get("sha256") == sha256 for r in current_records(env.session, EVIDENCE_LINKS)
    )
    if not env.can(ASSURERS | REVIEWERS) or not linked:
        return Response(status_code=404)
    root = files_folder(env.request.app.state.settings)
    info, data = read_file(env.session, root, sha256)
    disposition = f'attachment; filename="{sha256[:12]}"'
    return Response(data, media_type=info.media_type, headers={"Content-Disposition": disposition})
