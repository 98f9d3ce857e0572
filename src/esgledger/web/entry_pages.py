"""Data entry: choose entity and period, fill the form (save or submit), or upload a file.

Writes go through :func:`esgledger.ledger.entry.save_form` and
:func:`esgledger.ledger.imports.apply.import_rows`, the services the API and the CLI use,
so a form checks exactly like a file, and every save is one changeset and one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from esgledger.api.deps import Writer
from esgledger.auth.roles import COMMENTERS, WRITERS
from esgledger.auth.service import Principal
from esgledger.errors import EsgError
from esgledger.evidence.links import VALUE, EvidenceLink, entity_links
from esgledger.evidence.types import allowed_types
from esgledger.ledger.calendar import is_locked, locked_periods, reporting_years
from esgledger.ledger.entry import ConflictError, save_form
from esgledger.ledger.imports.apply import ImportRejected, import_rows
from esgledger.ledger.imports.layouts import accepted_suffixes
from esgledger.ledger.imports.limits import ImportTooLarge, upload_limits
from esgledger.ledger.imports.reader import read_table
from esgledger.ledger.imports.upload import saved_upload
from esgledger.ledger.revisions import SUBMITTED, Selection, change_status
from esgledger.org import Entity
from esgledger.periods import Period
from esgledger.web.access import (
    PostedForm,
    commit_and_redirect,
    entry_period,
    last_year,
    visible_entities,
    visible_entity,
)
from esgledger.web.answers_view import value_answers
from esgledger.web.entry_form import (
    Field,
    apply_posted,
    build_fields,
    edited_values,
    grouped,
    mark_changes,
)
from esgledger.web.render import Env, PageEnv
from esgledger.web.template_pages import keep_upload_errors

router = APIRouter()
# A form posts four fields per indicator and Starlette parses at most 1000 fields, so a
# form longer than this shows one topic at a time.
TABS_ABOVE = 60
DONE = ("saved", "submitted", "imported", "attached")


@dataclass
class EntryPage:
    """One entity-period form as loaded: what it asks for and whether it can be changed."""

    entity: Entity
    period: Period
    previous: str
    fields: list[Field]
    locked: bool


def load_page(env: PageEnv, code: str, period_text: str) -> EntryPage:
    """The form as stored now; 404 for an entity the user may not see."""
    entity, period = visible_entity(env, code), entry_period(period_text)
    previous = last_year(period)
    fields = build_fields(env.session, env.catalog, env.lang, code, period, previous)
    locked = is_locked(period, locked_periods(env.session))
    return EntryPage(entity, period, previous, fields, locked)


def show(
    env: PageEnv, page: EntryPage, *, topic: str | None, status_code: int = 200, **context
) -> HTMLResponse:
    """The form; a long one (a year's ~300 inputs) shows one topic at a time, as tabs."""
    threshold = env.request.app.state.settings.yoy_warning_percent
    flagged = mark_changes(page.fields, threshold)
    groups = grouped(page.fields, lambda name: env.t(f"topic.{name}"))
    tabbed = len(page.fields) > TABS_ABOVE
    twin = urlencode({"entity": page.entity.code, "period": str(page.period), "limit": 1000})
    if tabbed:
        topic = _active_topic(groups, topic)
    return env.render(
        "entry.html",
        json_href=f"/api/v1/observations?{twin}",
        status_code=status_code,
        page=page,
        groups=groups,
        shown=[g for g in groups if not tabbed or g["topic"] == topic],
        tabbed=tabbed,
        topic=topic if tabbed else None,
        flagged=flagged,
        threshold=threshold,
        may_write=env.can(WRITERS) and not page.locked,
        may_comment=env.can(COMMENTERS),
        answers=value_answers(env, page.entity.code, [str(page.period)]),
        accept=",".join(accepted_suffixes()),
        evidence=value_evidence(env, page),
        evidence_accept=",".join(
            sorted(allowed_types(env.request.app.state.settings.evidence_types))
        ),
        **{
            "notice": None,
            "conflict": None,
            "problems": [],
            "import_id": None,
            "error_file": None,
            **context,
        },
    )


def value_evidence(env: PageEnv, page: EntryPage) -> dict[str, list[EvidenceLink]]:
    """The files attached to the form's values, by indicator."""
    found: dict[str, list[EvidenceLink]] = {}
    for link in entity_links(env.session, [page.entity.code]):
        if link.target == VALUE and link.period == str(page.period) and link.indicator:
            found.setdefault(link.indicator, []).append(link)
    return found


def _active_topic(groups: list[dict], wanted: str | None) -> str:
    """The topic asked for, else the first one holding a problem, a value, or the first."""
    topics = [g["topic"] for g in groups]
    if wanted in topics:
        return wanted
    for key in ("errors", "filled"):
        found = next((g["topic"] for g in groups if g[key]), None)
        if found:
            return found
    return topics[0]


@router.get("/entry", response_model=None)
def entry_index(
    env: Env, entity: str | None = None, year: str | None = None, month: str | None = None
) -> Response:
    """Pick an entity and a period; with both given, go straight to the form."""
    if entity and year:
        period = f"{year}-{month}" if month else year
        visible_entity(env, entity)
        entry_period(period)
        return RedirectResponse(f"/entry/{entity}/{period}", status_code=303)
    return env.render(
        "entry_index.html",
        json_href="/api/v1/entities",
        entities=visible_entities(env),
        years=reporting_years(env.session),
    )


@router.get("/entry/{entity}/{period}", response_class=HTMLResponse)
def entry_form(
    env: Env,
    entity: str,
    period: str,
    topic: str | None = None,
    done: str | None = None,
    n: int = 0,
    import_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    """The form; ``done`` and ``n`` report the save that redirected here (``import_id``:
    the import it was, to attach its source documents to)."""
    page = load_page(env, entity, period)
    notice = env.t(f"entry.done.{done}", n=n) if done in DONE else None
    return show(env, page, topic=topic, notice=notice, import_id=import_id)


@router.post("/entry/{entity}/{period}", response_class=HTMLResponse)
def save_entry(env: Env, principal: Writer, form: PostedForm, entity: str, period: str) -> Response:
    """Save the changed fields as drafts, or save and submit everything of the period."""
    page = load_page(env, entity, period)
    apply_posted(page.fields, form)
    submit, topic = form.get("action") == "submit", str(form.get("topic") or "")
    values = edited_values(env.session, page.fields)
    try:
        result = save_form(
            env.session, principal.username, env.catalog, entity, str(page.period), values,
            submit=submit,
        )  # fmt: skip
    except ConflictError as exc:
        env.session.rollback()  # the save may have begun writing when it lost the race
        for item in page.fields:
            if item.indicator in exc.indicators:
                item.error = env.t("entry.conflict_field")
        return show(env, page, topic=topic, status_code=409, conflict=exc)
    except ImportRejected as exc:
        problems = _place_problems(page, values, exc, env.lang)
        return show(env, page, topic=topic, status_code=422, problems=problems)
    moved = 0
    if submit:
        selection = Selection([entity], [str(page.period)])
        moved = change_status(env.session, principal.username, SUBMITTED, selection)
    done = "submitted" if submit else "saved"
    count = result.new_revisions + moved
    url = f"/entry/{entity}/{page.period}?done={done}&n={count}" + (f"&topic={topic}" * bool(topic))
    return commit_and_redirect(env.session, url)


def _place_problems(page: EntryPage, values: list, exc: ImportRejected, lang: str) -> list[str]:
    """Put each problem beside its field (the form's row n is the n-th value sent)."""
    by_id = {f.indicator: f for f in page.fields}
    unplaced = []
    for problem in exc.problems:
        row = problem.location.row
        if row is not None and 1 <= row <= len(values):
            by_id[values[row - 1].indicator].error = problem.explained(lang)
        else:
            unplaced.append(problem.render(lang))
    return unplaced


@router.post("/entry/{entity}/{period}/upload", response_class=HTMLResponse)
def upload(env: Env, principal: Writer, form: PostedForm, entity: str, period: str) -> Response:
    """Import a CSV or XLSX file: all of it or nothing, only for the user's own entities.

    The file is read under the server's import limits, like an API upload.
    """
    page = load_page(env, entity, period)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = [env.t("entry.upload_missing")]
        return show(env, page, topic=None, status_code=422, problems=missing)
    limits = upload_limits(env.request.app.state.settings)
    submit = form.get("submit_after") == "on"
    try:
        with saved_upload(upload.file, upload.filename, limits) as path:
            table = read_table(path, limits=limits, name=path.name)
            foreign = _foreign_entities(principal, table.frame["entity"])
            if foreign:
                problem = env.t("entry.upload_foreign", codes=foreign)
                return show(env, page, topic=None, status_code=403, problems=[problem])
            try:
                result = import_rows(
                    env.session, table, principal.username, env.catalog,
                    submit=submit, where=table.name, limits=limits,
                )  # fmt: skip
            except ImportRejected as exc:  # the upload is still on disk: its error file
                error_file = keep_upload_errors(env, path, table.name, exc)
                problems = exc.lines(env.lang)  # the summary, then the problems grouped
                return show(
                    env, page, topic=None, status_code=422, problems=problems,
                    error_file=error_file,
                )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()  # e.g. a lost race after the import began writing
        status = 409 if isinstance(exc, ConflictError) else 422
        status = 413 if isinstance(exc, ImportTooLarge) else status
        return show(env, page, topic=None, status_code=status, problems=[exc.text(env.lang)])
    url = f"/entry/{entity}/{page.period}?done=imported&n={result.new_revisions}"
    url += f"&import_id={result.changeset_id}" if result.changeset_id else ""
    return commit_and_redirect(env.session, url)


def _foreign_entities(principal: Principal, codes: pl.Series, shown: int = 10) -> str:
    """The file's entities the user may not write, the first ``shown`` of them by name."""
    foreign = sorted(c for c in codes.drop_nulls().unique().to_list() if not principal.may_see(c))
    more = f" (+{len(foreign) - shown:,})" if len(foreign) > shown else ""
    return ", ".join(foreign[:shown]) + more
