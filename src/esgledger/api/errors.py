"""One error format for the whole API: ``{"ok": false, "status", "error", "errors"}``.

User mistakes become 4xx with a message that says what to do, in the language the
request accepts first (Accept-Language: zh gives the Chinese text of a coded error);
anything else is a bug, a 500 whose body carries a log id to quote in a bug report (the
traceback goes to the log).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from esgledger.auth.passwords import WeakPassword
from esgledger.auth.service import AuthError
from esgledger.auth.throttle import Throttled
from esgledger.errors import (
    LANG_COOKIE,
    ErrorKind,
    EsgError,
    NotFoundError,
    ServiceUnavailable,
    ValidationFailed,
    render,
    request_language,
)
from esgledger.evidence.attach import EvidenceForbidden
from esgledger.evidence.types import EvidenceRefused
from esgledger.ledger.chain import ConflictError
from esgledger.ledger.database import is_busy
from esgledger.ledger.imports.limits import ImportTooLarge
from esgledger.ledger.records import RecordConflict
from esgledger.narrative.workflow import ReviewRefused

log = logging.getLogger("esgledger.api")


class Forbidden(EsgError):
    """The user is known but may not do this."""


class Unauthorized(EsgError):
    """No valid session or token was presented."""


def _status(exc: EsgError) -> int:
    for kind, status in (
        (Throttled, 429),
        (Unauthorized, 401),
        (AuthError, 401),
        (Forbidden, 403),
        (EvidenceForbidden, 403),
        (ReviewRefused, 403),
        (NotFoundError, 404),
        (ConflictError, 409),
        (RecordConflict, 409),
        (ImportTooLarge, 413),
        (EvidenceRefused, 422),
        (ValidationFailed, 422),
        (WeakPassword, 422),
        (ServiceUnavailable, 503),
    ):
        if isinstance(exc, kind):
            return status
    return 400


def error_body(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    row: int | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "ok": False,
        "status": status,
        "error": {"code": code, "message": message, "field": field, "row": row},
        "errors": errors or [],
    }


def _problems(exc: EsgError, lang: str) -> list[dict[str, Any]]:
    if not isinstance(exc, ValidationFailed):
        return []
    return [
        {
            "code": p.code or "invalid",
            "message": p.explained(lang),
            "field": p.location.column,
            "row": p.location.row,
            "sheet": p.location.sheet,
            "value": p.value,
        }
        for p in exc.problems
    ]


async def handle_esg_error(request: Request, exc: EsgError) -> JSONResponse:
    if exc.kind is ErrorKind.BUG:
        return await handle_unexpected(request, exc)
    status = _status(exc)
    code = type(exc).__name__
    lang = _language(request)
    body = error_body(status, code, exc.text(lang), errors=_problems(exc, lang))
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return JSONResponse(body, status_code=status, headers=headers)


async def handle_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"code": e["type"], "message": e["msg"], "field": ".".join(map(str, e["loc"])), "row": None}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"message": "invalid request", "field": None}
    body = error_body(
        422,
        "invalid_request",
        f"{first['field']}: {first['message']}",
        field=first["field"],
        errors=errors,
    )
    return JSONResponse(body, status_code=422)


async def handle_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        error_body(exc.status_code, "http_error", str(exc.detail)),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


BUSY_RETRY_SECONDS = 5


async def handle_database(request: Request, exc: OperationalError) -> JSONResponse:
    """A write that waited too long for another one is the server's load, not a bug: 503."""
    if not is_busy(exc):
        return await handle_unexpected(request, exc)
    message = render("server.busy", _language(request), seconds=BUSY_RETRY_SECONDS)
    return JSONResponse(
        error_body(503, "ledger_busy", message),
        status_code=503,
        headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
    )


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log_id = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s on %s %s", log_id, request.method, request.url.path)
    message = render("server.internal", _language(request), log_id=log_id)
    return JSONResponse(error_body(500, "internal_error", message), status_code=500)


def _language(request: Request) -> str:
    """The page's chosen language (its cookie), else the request's Accept-Language."""
    return request_language(
        request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(EsgError, handle_esg_error)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(StarletteHTTPException, handle_http)
    app.add_exception_handler(OperationalError, handle_database)
    app.add_exception_handler(Exception, handle_unexpected)
