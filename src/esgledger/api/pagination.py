"""Pagination of list endpoints: ``limit`` and ``offset`` in, ``items`` and ``total`` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from pydantic_core import to_json

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int


async def page_params(  # async: trivial, so no hop to the thread pool (api/loopreads.py)
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page")] = 100,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


def paginate(
    items: Sequence[Any], params: PageParams, public: Callable[[Any], Item] | None = None
) -> Page[Item]:
    """One page of ``items``; ``public`` turns only that page's items into answer models."""
    chosen = items[params.offset : params.offset + params.limit]
    return page_of(chosen, len(items), params, public)


def page_of(
    chosen: Sequence[Any],
    total: int,
    params: PageParams,
    public: Callable[[Any], Item] | None = None,
) -> Page[Item]:
    """The answer for a page that the database has already sliced out of ``total`` items."""
    return Page(
        items=[public(i) for i in chosen] if public else list(chosen),
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


def page_json(items: list[dict[str, Any]], total: int, params: PageParams) -> bytes:
    """A page of items already in their public form, serialised once, as ``Page`` would be.

    For a long list the models cost more than the query: each item built and validated,
    then the page validated again against the response model. The items are plain dicts
    with the model's fields in its order; pydantic's JSON writer gives the same bytes as
    the model's (tests/api/test_observation_pages.py).
    """
    return to_json({"items": items, "total": total, "limit": params.limit, "offset": params.offset})
