"""Data requests over HTTP: what each entity owes, campaigns and their progress, and the
caller's inbox (/api/v1/obligations, /api/v1/campaigns, /api/v1/notices).

Campaigns are opened by admins and group managers (403 for others) and read by those who
see every entity; a reporter reads the obligations of its own entities and its own inbox.
Opening a campaign queues the job that mails its notices after the campaign is committed:
the request never sends mail itself.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from esgledger.api.deps import CurrentUser, Reviewer, SessionDep, require_entity
from esgledger.api.errors import Forbidden
from esgledger.api.routers._state import CatalogDep
from esgledger.api.routers.jobs import app_jobs
from esgledger.api.schemas import error_responses
from esgledger.auth.roles import SEES_ALL
from esgledger.auth.service import Principal
from esgledger.catalog.registry import Catalog
from esgledger.collection.campaigns import (
    Campaign,
    create_campaign,
    default_schedule,
    get_campaign,
    list_campaigns,
    progress,
    schedule_from,
)
from esgledger.collection.obligations import (
    Obligation,
    obligations_of,
    owe_exactly,
    owed_for_entity,
)
from esgledger.inputs import InputModel
from esgledger.notices import inbox_for, mark_read, unread_count
from esgledger.notices.texts import notice_text

router = APIRouter(tags=["collection"], responses=error_responses(400, 403, 404, 422))


class CampaignCreate(InputModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$", examples=["2024"])
    year: int = Field(ge=1990, le=2100)
    due: date
    title: str | None = Field(default=None, max_length=200)
    entities: list[str] | None = Field(default=None, max_length=1000)
    before_days: list[int] | None = Field(default=None, max_length=10)
    after_days: list[int] | None = Field(default=None, max_length=10)
    escalate_after_days: int | None = Field(default=None, ge=0, le=365)


class CampaignPublic(BaseModel):
    name: str
    title: str
    year: int
    due: date
    entities: list[str]
    managers: list[str]
    before_days: list[int]
    after_days: list[int]
    escalate_after_days: int

    @classmethod
    def of(cls, c: Campaign) -> CampaignPublic:
        s = c.schedule
        return cls(
            name=c.name, title=c.title, year=c.year, due=c.due, entities=list(c.entities),
            managers=list(c.managers), before_days=list(s.before_days),
            after_days=list(s.after_days), escalate_after_days=s.escalate_after_days,
        )  # fmt: skip


class EntityProgress(BaseModel):
    entity: str
    owners: str
    owed: int = Field(
        description="Owed items: each month of a monthly input, the year of a yearly one"
    )
    answered: int = Field(description="Items with a value or a not-applicable answer")
    missing: int
    share: float
    complete: bool
    overdue_days: int


class CampaignProgress(CampaignPublic):
    progress: list[EntityProgress]


class NoticePublic(BaseModel):
    key: str
    kind: str
    params: dict[str, str]
    text: str = Field(description="The notice in the request's language")
    link: str | None
    entity: str | None
    read: bool
    posted_at: str = Field(description="When it was posted (UTC, ISO 8601)")


class Inbox(BaseModel):
    unread: int
    notices: list[NoticePublic]


def _seeing_all(principal: Principal) -> None:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded("page.campaigns_forbidden")


def queue_delivery(request: Request, session: Session, username: str) -> None:
    """Commit, then queue the job that mails the new notices (it must see them)."""
    session.commit()
    app_jobs(request).submit("notice_delivery", {}, username, request.app.state.database)


@router.get("/obligations", response_model=list[str], summary="Inputs an entity owes")
def obligations(
    principal: CurrentUser, session: SessionDep, catalog: CatalogDep,
    entity: Annotated[str, Query()], year: Annotated[int, Query(ge=1990, le=2100)],
) -> list[str]:  # fmt: skip
    """The input ids ``entity`` owes for ``year`` (rules by kind, segment, tags; overrides)."""
    require_entity(principal, entity)
    return owed_for_entity(session, catalog, entity, year)


class ObligationPublic(BaseModel):
    indicator: str
    by_rule: bool = Field(description="The obligation rules ask for it")
    owed: bool = Field(description="Owed after the entity's overrides")


class ObligationsChange(InputModel):
    year: int = Field(ge=1990, le=2100, description="The year whose rules it is read against")
    owed: list[str] = Field(max_length=2000, description="Every input the entity owes")
    reason: str = Field(default="", max_length=500, description="Why it differs from the rules")


def _obligations(
    session: Session, catalog: Catalog, entity: str, year: int
) -> list[ObligationPublic]:
    rows: list[Obligation] = obligations_of(session, catalog, entity, year)
    return [ObligationPublic(**row.__dict__) for row in rows]


@router.get(
    "/obligations/{entity}", response_model=list[ObligationPublic], summary="Owed inputs in detail"
)
def obligations_in_detail(
    entity: str, principal: CurrentUser, session: SessionDep, catalog: CatalogDep,
    year: Annotated[int, Query(ge=1990, le=2100)],
) -> list[ObligationPublic]:  # fmt: skip
    """Each input the rules or the overrides name for ``entity``: asked by the rules, owed."""
    require_entity(principal, entity)
    return _obligations(session, catalog, entity, year)


@router.put(
    "/obligations/{entity}", response_model=list[ObligationPublic], summary="Change owed inputs"
)
def change_obligations(
    entity: str, body: ObligationsChange, principal: Reviewer, session: SessionDep,
    catalog: CatalogDep,
) -> list[ObligationPublic]:  # fmt: skip
    """Make ``entity`` owe exactly ``owed``; what differs from the rules is kept as its
    overrides, with the reason and who changed them (admins and group managers)."""
    owe_exactly(
        session, catalog, principal.username, entity, body.year, body.owed, body.reason
    )  # fmt: skip
    session.flush()
    return _obligations(session, catalog, entity, body.year)


@router.get("/campaigns", response_model=list[CampaignPublic], summary="Campaigns")
def campaigns(principal: CurrentUser, session: SessionDep) -> list[CampaignPublic]:
    _seeing_all(principal)
    return [CampaignPublic.of(c) for c in list_campaigns(session)]


@router.post(
    "/campaigns", response_model=CampaignPublic, status_code=201, summary="Open a campaign"
)
def open_campaign(
    body: CampaignCreate,
    request: Request,
    principal: Reviewer,
    session: SessionDep,
    catalog: CatalogDep,
) -> CampaignPublic:
    """Open a campaign; its notices are mailed by a queued job."""
    shipped = default_schedule()
    schedule = schedule_from(
        body.before_days if body.before_days is not None else shipped.before_days,
        body.after_days if body.after_days is not None else shipped.after_days,
        body.escalate_after_days
        if body.escalate_after_days is not None
        else shipped.escalate_after_days,
    )
    campaign = create_campaign(
        session, catalog, principal.username, body.name, year=body.year, due=body.due,
        title=body.title, entities=body.entities, schedule=schedule,
    )  # fmt: skip
    queue_delivery(request, session, principal.username)
    return CampaignPublic.of(campaign)


@router.get("/campaigns/{name}", response_model=CampaignProgress, summary="A campaign's progress")
def campaign_progress(
    name: str, principal: CurrentUser, session: SessionDep, catalog: CatalogDep,
    today: Annotated[date | None, Query(description="Default: today")] = None,
) -> CampaignProgress:  # fmt: skip
    _seeing_all(principal)
    campaign = get_campaign(session, name)
    frame = progress(session, catalog, campaign, today or date.today())
    rows = [
        EntityProgress(**{k: row[k] for k in EntityProgress.model_fields})
        for row in frame.to_dicts()
    ]
    return CampaignProgress(**CampaignPublic.of(campaign).model_dump(), progress=rows)


def _lang(request: Request) -> str:
    first = (request.headers.get("accept-language") or "").lower()
    return "zh" if first.startswith("zh") else "en"


@router.get("/notices", response_model=Inbox, summary="My inbox")
def notices(request: Request, principal: CurrentUser, session: SessionDep) -> Inbox:
    """The caller's notices, newest first, worded in the request's language."""
    lang = _lang(request)
    found = [
        NoticePublic(
            key=n.key,
            kind=n.kind,
            params=n.params,
            text=notice_text(n.kind, n.params, lang),
            link=n.link,
            entity=n.entity,
            read=n.read,
            posted_at=n.posted_at.isoformat(),
        )
        for n in inbox_for(session, principal.username)
    ]
    return Inbox(unread=unread_count(session, principal.username), notices=found)


@router.post("/notices/{key}/read", response_model=Inbox, summary="Mark a notice read")
def read_notice(key: str, request: Request, principal: CurrentUser, session: SessionDep) -> Inbox:
    mark_read(session, principal.username, key)
    return notices(request, principal, session)
