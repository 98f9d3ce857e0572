"""Security headers on every response (OWASP ASVS 14.4), pages, API and static files alike.

The pages load only their own script and style sheets (``/static``), with no inline script,
inline style or style attribute, so the Content-Security-Policy can be strict: nothing
from elsewhere, nothing inline, no framing by other sites. The API documentation pages
(``/docs``, ``/redoc``) load Swagger UI and ReDoc from the packaged assets
(``web/api_docs.py``) and start them from a script file, but both libraries write their
styles into the page at run time; their policy allows inline styles, nothing else.

HSTS is sent only on a request that came over HTTPS: over plain HTTP the header is ignored
by browsers anyway, and a local ``esgledger serve`` must stay reachable over HTTP.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: it only appends
headers to the response start message and costs next to nothing per request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000"
COMMON = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Add the security headers to every HTTP response of ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], scope.get("scheme") == "https")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def headers_for(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers for a response to ``path``; HSTS only over HTTPS."""
    policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else PAGE_POLICY
    headers = [*COMMON, (b"content-security-policy", policy.encode())]
    if https:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers
