"""Factor sets: the cited datasets the engine draws emission and conversion factors from.

Readable by every role. The list includes the server's own factor files (``serve
--factors``), marked ``is_override``; server file paths are not shown.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.routers._state import SettingsDep
from esgledger.api.schemas import READ_ERRORS
from esgledger.factors import DatasetInfo, load_factor_sets

router = APIRouter(tags=["factors"], responses=READ_ERRORS)


class FactorSetPublic(BaseModel):
    """One dataset version with its citation and how many values of each confidence."""

    name: str
    version: str
    title: str
    source: str
    url: str | None
    gwp_set: str | None
    factor_count: int
    confidence: dict[str, int]
    is_override: bool

    @classmethod
    def of(cls, info: DatasetInfo) -> FactorSetPublic:
        return cls(**{name: getattr(info, name) for name in cls.model_fields})


@cache
def _datasets(files: tuple[str, ...]) -> tuple[FactorSetPublic, ...]:
    """Read once per set of files: the shipped data do not change while the server runs."""
    return tuple(FactorSetPublic.of(info) for info in load_factor_sets(files).datasets())


@router.get("/factor-sets", response_model=Page[FactorSetPublic], summary="Factor sets")
def get_factor_sets(
    principal: CurrentUser,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[FactorSetPublic]:
    """Every dataset version, by name and version, with source, URL and GWP set."""
    return paginate(list(_datasets(tuple(settings.factor_files))), page)
