"""Refuse an upload that says it is too large before its body is received.

FastAPI parses a multipart body (spooling the file to disk) before the handler runs, so
without this a 2 GB upload would be received whole only to be refused. A request whose
``Content-Length`` is over the import size limit is answered with 413 at once; one
without a length (chunked) is still stopped by the handler's bounded copy.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from esgledger.api.errors import error_body
from esgledger.ledger.imports.limits import upload_limits

UPLOAD_PATHS = ("/api/v1/imports",)
FORM_OVERHEAD = 64 * 1024  # multipart boundaries, part headers and the other form fields


class UploadGuard:
    """ASGI middleware: 413 for an upload whose declared length is over the limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in UPLOAD_PATHS:
            limits = upload_limits(scope["app"].state.settings)
            declared = _content_length(scope)
            if declared is not None and declared > limits.max_bytes + FORM_OVERHEAD:
                refused = limits.refuse(
                    "upload",
                    f"the request has {declared:,} bytes",
                    f"{limits.max_bytes:,} bytes",
                    "max_bytes",
                )
                body = error_body(413, type(refused).__name__, refused.message)
                await JSONResponse(body, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
