"""What reviewers and reporters look at: the review queue, completeness, and comments.

Access: the review queue is for admins and group managers (403 for others). Completeness
and comments are read by every role, a reporter seeing its own entities only (another
entity is a 404). Comments are written by admins, group managers, auditors (their questions
belong in the value's thread) and reporters (their own entities; 404 otherwise); see
``COMMENTERS`` in auth/roles.py. A new comment is recorded in the audit log, and a comment
on a value tells the thread's other participants and the entity's reporters (a notice).
"""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from esgledger.answers.notify import tell
from esgledger.answers.threads import reply
from esgledger.api.deps import Commenter, CurrentUser, Reviewer, SessionDep, require_entity
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.routers._access import entity_scope
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    EntityCode,
    IndicatorId,
    PeriodText,
    Text,
    UtcDateTime,
    Year,
)
from esgledger.auth.people import roles_of
from esgledger.auth.schema import Comment
from esgledger.auth.service import add_comment, list_comments
from esgledger.calc.plausibility import factor_library, review_flags
from esgledger.collection.completeness import completeness_frame
from esgledger.collection.obligations import owed_frame
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.entry import status_summary
from esgledger.ledger.orgstore import load_org

router = APIRouter(tags=["review"])


class StatusCounts(BaseModel):
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0
    locked: int = 0


class QueueItem(StatusCounts):
    """Observations of one entity and year by status; ``submitted`` awaits review."""

    entity: str
    year: int
    total: int
    plausibility: list[str] = Field(
        default_factory=list,
        description="Current values (any status) outside the range plants measure, e.g. "
        "anode carbon per tonne of metal; a reason to look before approving",
    )


class CompletenessPublic(BaseModel):
    """How much of what an entity owes for a year it has answered (collection/obligations:
    the inputs its kind, segment and tags owe, each month of a monthly one)."""

    entity: str
    name: str
    year: int
    expected: int = Field(
        description="Owed items: each month of a monthly input owed, the year of a yearly one"
    )
    reported: int = Field(description="Owed items with a current value or a not-applicable answer")
    missing: int = Field(description="Owed items without an answer")
    complete: bool = Field(description="Every owed item answered")
    share: float
    by_status: StatusCounts = Field(description="Current observations by status")


class CommentBase(BaseModel):
    entity: EntityCode
    period: PeriodText
    indicator: IndicatorId | None = None
    text: Text(5000, min_length=1)


class CommentCreate(CommentBase):
    pass


class CommentPublic(CommentBase):
    id: int
    author: str
    role: str | None = Field(None, description="The author's role (none for a removed account)")
    at: UtcDateTime

    @classmethod
    def of(cls, c: Comment, role: str | None = None) -> CommentPublic:
        return cls(
            role=role,
            id=c.id,
            entity=c.entity,
            period=c.period,
            indicator=c.indicator,
            text=c.text,
            author=c.author,
            at=c.at,
        )


@router.get(
    "/review-queue",
    response_model=Page[QueueItem],
    responses=READ_ERRORS,
    summary="Observations awaiting review",
)
def review_queue(
    principal: Reviewer,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
    year: Annotated[Year | None, Query()] = None,
    pending_only: Annotated[bool, Query(description="Only rows with submitted values")] = False,
) -> Page[QueueItem]:
    """Per entity and year, current observations by status, newest year first."""
    items = []
    flags = review_flags(session, factor_library(tuple(settings.factor_files)))
    for (entity, y), counts in status_summary(session).items():
        item = QueueItem(entity=entity, year=y, total=sum(counts.values()), **counts)
        item.plausibility = flags.get((entity, y), [])
        if (year is None or y == year) and (item.submitted or not pending_only):
            items.append(item)
    items.sort(key=lambda i: (-i.year, i.entity))
    return paginate(items, page)


@router.get(
    "/completeness",
    response_model=list[CompletenessPublic],
    responses=READ_ERRORS,
    summary="Reported inputs per entity",
)
def completeness(
    principal: CurrentUser,
    session: SessionDep,
    catalog: CatalogDep,
    year: Annotated[Year | None, Query(description="Default: the latest open year")] = None,
) -> list[CompletenessPublic]:
    """Per visible entity: owed items answered in ``year`` (values or not applicable)."""
    year = year or max(reporting_years(session), default=None)
    entities = [e for e in load_org(session) if principal.may_see(e.code)]
    if year is None or not entities:
        return []
    codes = sorted(e.code for e in entities)
    counts = status_summary(session, codes)
    owed = owed_frame(session, catalog, year).filter(pl.col("entity").is_in(codes))
    frame = completeness_frame(session, catalog, owed, year, codes)
    rows = {row["entity"]: row for row in frame.to_dicts()}
    return [
        CompletenessPublic(
            entity=e.code,
            name=e.name_en,
            year=year,
            expected=rows[e.code]["owed"],
            reported=rows[e.code]["answered"],
            missing=rows[e.code]["missing"],
            complete=rows[e.code]["complete"],
            share=rows[e.code]["share"],
            by_status=StatusCounts(**counts.get((e.code, year), {})),
        )
        for e in sorted(entities, key=lambda e: e.code)
    ]


@router.get(
    "/comments", response_model=Page[CommentPublic], responses=READ_ERRORS, summary="Comments"
)
def get_comments(
    principal: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    entity: Annotated[EntityCode | None, Query()] = None,
    period: Annotated[PeriodText | None, Query()] = None,
    indicator: Annotated[IndicatorId | None, Query()] = None,
) -> Page[CommentPublic]:
    """Comments oldest first, on entities the caller may see."""
    entities = entity_scope(principal, entity)
    found = list_comments(session, entities, period, indicator)
    roles = roles_of(session, (c.author for c in found))
    return paginate([CommentPublic.of(c, roles.get(c.author)) for c in found], page)


@router.post(
    "/comments",
    response_model=CommentPublic,
    status_code=201,
    responses=WRITE_ERRORS,
    summary="Comment on a period or a value",
)
def post_comment(
    body: CommentCreate, principal: Commenter, session: SessionDep, catalog: CatalogDep
) -> CommentPublic:
    """Leave a remark on an entity's period, or on one indicator of it (the value's thread)."""
    require_entity(principal, body.entity)
    load_org(session).get(body.entity)  # 404 for an unknown entity
    if body.indicator is not None:
        catalog.get(body.indicator)  # 404 with suggestions for an unknown indicator
    if body.indicator is None:
        comment = add_comment(
            session, principal.username, body.entity, body.period, None, body.text
        )
    else:
        comment, told = reply(
            session, principal, body.entity, body.period, body.indicator, body.text
        )
        tell(session, principal.username, "comment", told, body.entity, body.period, body.indicator)
    return CommentPublic.of(comment, principal.role.value)
