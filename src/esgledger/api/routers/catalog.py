"""The indicator catalog: what is collected and what is computed. Readable by every role."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import READ_ERRORS, SearchText
from esgledger.catalog import Indicator, Kind
from esgledger.catalog.registry import Catalog

router = APIRouter(tags=["catalog"], responses=READ_ERRORS)


class IndicatorBase(BaseModel):
    id: str
    name_en: str
    name_zh: str
    unit: str
    kind: Kind
    topic: str
    category: str
    frequency: str


class IndicatorPublic(IndicatorBase):
    """An indicator as the catalog declares it, with the framework items it answers."""

    quantity_type: str
    aggregation: str
    definition: str
    recipe: str | None
    depends_on: list[str]
    frameworks: dict[str, list[str]]

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorPublic:
        return cls(
            id=indicator.id,
            name_en=indicator.name("en"),
            name_zh=indicator.name("zh"),
            unit=indicator.unit,
            kind=indicator.kind,
            topic=indicator.topic,
            category=indicator.category.value,
            frequency=indicator.frequency.value,
            quantity_type=indicator.quantity_type.value,
            aggregation=indicator.aggregation.value,
            definition=indicator.definition,
            recipe=indicator.recipe,
            depends_on=list(indicator.dependencies),
            frameworks={
                name: list(codes)
                for name, codes in indicator.frameworks.model_dump().items()
                if codes
            },
        )


def _matches(indicator: Indicator, topic: str | None, kind: Kind | None, q: str | None) -> bool:
    if topic is not None and indicator.topic != topic:
        return False
    if kind is not None and indicator.kind is not kind:
        return False
    if q:
        text = " ".join((indicator.id, indicator.name("en"), indicator.name("zh"))).casefold()
        return q.casefold() in text
    return True


@router.get("/indicators", response_model=Page[IndicatorPublic], summary="List indicators")
def list_indicators(
    principal: CurrentUser,
    catalog: CatalogDep,
    page: Annotated[PageParams, Depends(page_params)],
    topic: Annotated[str | None, Query(description="Only this topic, e.g. `energy`")] = None,
    kind: Annotated[Kind | None, Query(description="`input` (collected) or `derived`")] = None,
    q: Annotated[SearchText | None, Query(description="Text in the id or the EN/ZH name")] = None,
) -> Page[IndicatorPublic]:
    """Indicators in catalog order, filtered by topic, kind and a search text."""
    found = [
        public
        for indicator, public in zip(catalog, _public(catalog), strict=True)
        if _matches(indicator, topic, kind, q)
    ]
    return paginate(found, page)


@lru_cache(maxsize=4)
def _public(catalog: Catalog) -> tuple[IndicatorPublic, ...]:
    """The answer models of a catalog, built once: the catalog never changes."""
    return tuple(IndicatorPublic.of(indicator) for indicator in catalog)


@router.get("/indicators/{indicator_id}", response_model=IndicatorPublic, summary="One indicator")
def get_indicator(
    indicator_id: str, principal: CurrentUser, catalog: CatalogDep
) -> IndicatorPublic:
    """One indicator by id; an unknown id is a 404 that suggests the closest ids."""
    return IndicatorPublic.of(catalog.get(indicator_id))
