"""Pagination of list endpoints: ``limit`` and ``offset`` in, ``items`` and ``total`` out."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page")] = 100,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


def paginate(items: list[Item], params: PageParams) -> Page[Item]:
    return Page(
        items=items[params.offset : params.offset + params.limit],
        total=len(items),
        limit=params.limit,
        offset=params.offset,
    )
