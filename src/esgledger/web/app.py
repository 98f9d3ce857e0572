"""The FastAPI application: JSON API under /api/v1, HTML pages at the root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from esgledger import __version__
from esgledger.api import errors
from esgledger.api.routers import ALL_ROUTERS
from esgledger.api.upload_guard import UploadGuard
from esgledger.calc.cache import ResultsCache
from esgledger.catalog import load_catalog
from esgledger.engine.arrays.memory import keep_freed_memory
from esgledger.ledger.database import open_database, require_current_schema
from esgledger.pact.host import create_pact_app
from esgledger.settings import Settings, load_settings
from esgledger.web import STATIC_DIR, api_docs
from esgledger.web import errors as page_errors
from esgledger.web.charts import SvgCache
from esgledger.web.headers import SecurityHeaders
from esgledger.web.housekeeping import lifespan
from esgledger.web.pages import router as pages_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """An application on the ledger ``settings.db`` names (which `esgledger init` prepared).

    Without ``settings`` it reads them from the environment (:mod:`esgledger.settings`).
    """
    settings = settings or load_settings()
    keep_freed_memory()  # each server process recomputes results again and again
    database = open_database(settings.db)
    require_current_schema(database)
    app = FastAPI(
        title="esgledger",
        version=__version__,
        description="ESG data ledger and carbon accounting: collect, review, "
        "approve, compute and explain.",
        docs_url=None,  # api_docs serves /docs and /redoc from packaged assets, not a CDN
        redoc_url=None,
        lifespan=lifespan,  # prunes expired login sessions (web/housekeeping.py)
    )
    app.state.settings = settings
    app.state.database = database
    app.state.catalog = load_catalog()
    app.state.results = ResultsCache(app.state.catalog, [Path(f) for f in settings.factor_files])
    app.state.chart_cache = SvgCache()
    errors.install(app)
    app.add_middleware(UploadGuard)  # an upload too large is refused before it is received
    page_errors.install(app)  # the same error bodies, as error.html for pages
    for router in ALL_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/pact", create_pact_app(database))  # PACT v3 host (HTTPS only: pact/host.py)
    api_docs.install(app)
    app.include_router(pages_router)
    app.add_middleware(SecurityHeaders)
    return app
