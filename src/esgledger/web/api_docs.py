"""The API's documentation pages, /docs (Swagger UI) and /redoc, from packaged assets.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN: offline, or on a network
that cannot reach it, /docs is blank. The assets come instead from the ``fastapi-offline``
package (which ships Swagger UI and ReDoc with their licences) and are served under
ASSETS_URL. Swagger UI is started by ``static/swagger-init.js`` rather than by the inline
script of FastAPI's page, so /docs works under a ``script-src 'self'`` policy.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(fastapi_offline.__file__).with_name("static")
ASSETS_URL = "/api-docs-assets"

SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" href="{assets}/favicon.png">
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Serve /docs and /redoc for ``app``, made with ``docs_url=None, redoc_url=None``."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="api-docs-assets")
    openapi = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(
            SWAGGER_PAGE.format(
                title=escape(f"{app.title} API"), assets=ASSETS_URL, openapi=escape(openapi)
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi,
            title=f"{app.title} API",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
