"""The organisation: entities the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser, SessionDep, require_entity
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.schemas import READ_ERRORS
from esgledger.ledger.orgstore import load_org
from esgledger.org import Entity

router = APIRouter(tags=["organisation"], responses=READ_ERRORS)


class EntityPublic(BaseModel):
    code: str
    name_en: str
    name_zh: str
    kind: str
    parent: str | None
    province: str | None
    grid_region: str | None
    division_code: str | None
    ownership_share: float
    operational_control: bool
    financial_control: bool
    segment: str | None
    tags: list[str]

    @classmethod
    def of(cls, entity: Entity) -> EntityPublic:
        data = entity.model_dump(mode="json")
        return cls(
            **{k: data[k] for k in cls.model_fields},
        )


@router.get("/entities", response_model=Page[EntityPublic], summary="Entities of the group")
def list_entities(
    principal: CurrentUser, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> Page[EntityPublic]:
    """Every entity for managers and auditors; a reporter's own entities for a reporter."""
    visible = [EntityPublic.of(e) for e in load_org(session) if principal.may_see(e.code)]
    return paginate(sorted(visible, key=lambda e: e.code), page)


@router.get("/entities/{code}", response_model=EntityPublic, summary="One entity")
def get_entity(
    code: Annotated[str, Path(max_length=40)], principal: CurrentUser, session: SessionDep
) -> EntityPublic:
    require_entity(principal, code)
    return EntityPublic.of(load_org(session).get(code))
