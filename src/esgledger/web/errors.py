"""One error handler for pages and API: the API's JSON body, or ``error.html`` built from it.

The API's handlers (:mod:`esgledger.api.errors`) decide status and message for every
error. For a page request the same body is rendered as HTML, so a page and its JSON twin
never disagree about what went wrong; a missing login becomes a redirect to /login.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from esgledger.api import errors as api_errors
from esgledger.errors import EsgError
from esgledger.web.i18n import request_language, translator
from esgledger.web.render import templates

JSON_PATHS = ("/api/", "/docs", "/redoc", "/openapi.json", "/static/")
Handler = Callable[[Request, Any], Awaitable[Response]]


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PATHS)


def login_redirect(request: Request) -> RedirectResponse:
    """Send a visitor to the login form, and back here after logging in."""
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += f"?{request.url.query}"
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def error_page(request: Request, body: dict[str, Any]) -> Response:
    """``error.html`` for an API error body (status, error.message, errors)."""
    status = body["status"]
    if status == 401:
        return login_redirect(request)
    lang = request_language(request)
    t = translator(lang)
    context = {
        "t": t,
        "lang": lang,
        "user": None,
        "nav": [],
        "csrf_token": "",
        "json_href": None,
        "here": request.url.path,
        "status": status,
        "title": _title(t, status),
        "message": body["error"]["message"],
        "problems": body.get("errors", []),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _title(t: Any, status: int) -> str:
    key = f"error.title.{status}"
    title = t(key)
    return t("error.title") if title == key else title


def _either(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Any) -> Response:
        response = await api_handler(request, exc)
        if wants_json(request):
            return response
        return error_page(request, json.loads(bytes(response.body)))

    return handle


def install(app: FastAPI) -> None:
    """Replace the API's handlers by ones that answer pages in HTML and the API in JSON."""
    app.add_exception_handler(EsgError, _either(api_errors.handle_esg_error))
    app.add_exception_handler(RequestValidationError, _either(api_errors.handle_validation))
    app.add_exception_handler(StarletteHTTPException, _either(api_errors.handle_http))
    app.add_exception_handler(OperationalError, _either(api_errors.handle_database))
    app.add_exception_handler(Exception, _either(api_errors.handle_unexpected))
