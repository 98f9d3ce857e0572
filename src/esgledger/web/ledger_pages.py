"""Read-only views of the ledger: one observation's history, completeness.

They read through the ledger's own functions (``history``, ``latest_revisions``), so what a
page shows is what `esgledger` commands print. The audit log has its own page (audit_page).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.answers.threads import thread_of
from esgledger.auth.roles import COMMENTERS, WRITERS
from esgledger.catalog.model import Frequency
from esgledger.collection.completeness import completeness_frame
from esgledger.collection.obligations import owed_frame
from esgledger.errors import NotFoundError
from esgledger.evidence.links import evidence_for
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.revisions import APPROVED, LOCKED, Selection, history, latest_revisions
from esgledger.periods import Period
from esgledger.web.access import visible_entities, visible_entity
from esgledger.web.render import Env

router = APIRouter()


@router.get("/observations/{entity}/{period}/{indicator}", response_class=HTMLResponse)
def observation_history(env: Env, entity: str, period: str, indicator: str) -> HTMLResponse:
    """Every revision of one value, newest first: who, when, from which file row, and why."""
    owner = visible_entity(env, entity)
    spec = env.catalog.get(indicator)
    steps = history(env.session, entity, str(Period.parse(period)), indicator)
    if not steps:
        raise NotFoundError.coded(
            "page.no_value", entity=entity, indicator=indicator, period=period
        )
    query = f"entity={entity}&period={period}&indicator={indicator}"
    thread = thread_of(env.session, entity, steps[-1][0].period, indicator)
    return env.render(
        "history.html",
        thread=thread,
        waiting=thread.waiting_for(env.principal),
        may_comment=env.can(COMMENTERS),
        may_attach=env.can(WRITERS),  # evidence to an import that wrote a revision
        json_href=f"/api/v1/observations/history?{query}",
        entity=owner,
        period=period,
        spec=spec,
        steps=list(reversed(steps)),
        current=steps[-1][0],
        year=str(Period.parse(period).year),
        evidence=evidence_for(env.session, entity, str(Period.parse(period)), indicator),
    )


@router.get("/completeness", response_class=HTMLResponse)
def completeness(env: Env, year: int | None = None) -> HTMLResponse:
    """Entities × (the year, its months): stored values by status against what is expected."""
    years = reporting_years(env.session)
    if year is None:
        year = years[-1] if years else Period.parse("2024").year
    entities = visible_entities(env)
    period = Period.parse(year)
    columns = [str(period)] + [str(m) for m in period.months()]
    codes = [e.code for e in entities]
    owed = owed_frame(env.session, env.catalog, year).filter(pl.col("entity").is_in(codes))
    expected = _owed_by_column(env, owed, str(period))
    state = {
        row["entity"]: row
        for row in completeness_frame(env.session, env.catalog, owed, year, codes).to_dicts()
    }
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for revision in latest_revisions(env.session, Selection(codes, columns)):
        if not revision.is_tombstone:
            status = APPROVED if revision.status == LOCKED else revision.status
            counts[revision.entity, revision.period][status] += 1
    grid = [
        {
            "entity": entity,
            "cells": [
                cell(counts[entity.code, column], expected[entity.code][column != str(period)])
                for column in columns
            ],
            "state": state[entity.code],
        }
        for entity in entities
    ]
    return env.render(
        "completeness.html",
        json_href=f"/api/v1/completeness?year={year}",
        year=year,
        years=years,
        columns=columns,
        grid=grid,
    )


def _owed_by_column(env: Env, owed: pl.DataFrame, year: str) -> dict[str, tuple[int, int]]:
    """Per entity: how many yearly inputs it owes (the year's cell) and monthly ones (each
    month's cell), from its obligations (collection/obligations.py)."""
    monthly = {i.id for i in env.catalog.inputs() if i.frequency is Frequency.MONTHLY}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entity, indicator in owed.iter_rows():
        found[entity][indicator in monthly] += 1
    return defaultdict(lambda: (0, 0), {code: (y, m) for code, (y, m) in found.items()})


def cell(counts: Counter[str], expected: int) -> dict:
    """One grid cell: counts by status and their shares of the expected number of inputs."""
    filled = sum(counts.values())
    scale = max(expected, filled, 1)
    return {
        "counts": dict(counts),
        "filled": filled,
        "expected": expected,
        "shares": {s: 100 * n / scale for s, n in counts.items()},
    }
