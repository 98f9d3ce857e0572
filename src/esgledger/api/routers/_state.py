"""What the application keeps between requests, as dependencies: catalog, results, settings.

(``async`` only so that FastAPI calls them directly instead of through the thread pool.)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from esgledger.calc.cache import ResultsCache
from esgledger.settings import Settings


async def _catalog(request: Request) -> Any:
    return request.app.state.catalog


async def _results(request: Request) -> ResultsCache:
    return request.app.state.results


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


CatalogDep = Annotated[Any, Depends(_catalog)]
ResultsDep = Annotated[ResultsCache, Depends(_results)]
SettingsDep = Annotated[Settings, Depends(_settings)]
