"""The PACT v3 host: Action Authenticate, ListFootprints, GetFootprint and Events.

A FastAPI application of its own, mounted by the web app at ``/pact`` or served alone by
``esgledger pact serve``. It answers only over HTTPS (the specification: "A host system
MUST offer its actions under https method only"); behind a TLS-terminating proxy, run
uvicorn with proxy headers so the scheme is seen. Every error is PACT's error object
``{"code", "message"}`` with the status pact.yaml gives the code; Action Authenticate
answers RFC 6749 section 5.2 errors instead, as the specification says.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.pact import clients, events, spec
from esgledger.pact.criteria import criteria_from, select
from esgledger.pact.store import published, published_footprint

_CRITERIA = (
    "productId",
    "companyId",
    "geography",
    "classification",
    "validOn",
    "validAfter",
    "validBefore",
    "status",
)


class PactError(Exception):
    """An answer with one of PACT's error codes (BadRequest, AccessDenied ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=spec.error_status(code))


def _session(request: Request) -> Iterator[Session]:
    with unit_of_work(request.app.state.database) as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


def _bearer(request: Request, session: Session, scope: str) -> clients.Client:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise PactError(
            "BadRequest",
            "missing bearer token: authenticate at /auth/token "
            "with the client credentials grant and send the access token",
        )
    checked = clients.check_token(session, header[7:].strip())
    if checked.expired:
        raise PactError(
            "TokenExpired",
            "The specified access token has expired; request a new one at /auth/token",
        )
    if checked.client is None:
        raise PactError("BadRequest", "invalid access token")
    if scope not in checked.client.scopes:
        raise PactError("AccessDenied", f"this client lacks the scope {scope}")
    return checked.client


def _credentials(request: Request, form: dict[str, Any]) -> tuple[str, str, bool] | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            text = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, _, secret = text.partition(":")
        return client_id, secret, True
    if form.get("client_id") and form.get("client_secret"):
        return str(form["client_id"]), str(form["client_secret"]), False
    return None


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    headers = {"www-authenticate": 'Basic realm="pact"'} if status == 401 else None
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=headers
    )


async def authenticate(request: Request) -> JSONResponse:
    """Action Authenticate: RFC 6749 section 4.4, client credentials."""
    form = dict(await request.form())
    if form.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "grant_type must be client_credentials")
    given = _credentials(request, form)
    if given is None:
        return _oauth_error("invalid_request", "send the client id and secret (HTTP Basic)")
    client_id, secret, by_header = given
    with unit_of_work(request.app.state.database) as session:
        client = clients.authenticate(session, client_id, secret)
        if client is None:
            return _oauth_error(
                "invalid_client", "Authentication failed", 401 if by_header else 400
            )
        token, lifetime = clients.issue_token(session, client)
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": lifetime,
            "scope": " ".join(client.scopes),
        },
        headers={"cache-control": "no-store"},
    )


def _limit(request: Request) -> int:
    text = request.query_params.get("limit")
    most = int(spec.settings()["max_page_size"])
    if text is None:
        return int(spec.settings()["default_page_size"])
    if not text.isdigit() or int(text) < 1:
        raise PactError("BadRequest", f"limit must be a positive integer, not {text!r}")
    return min(int(text), most)


def _offset(request: Request) -> int:
    text = request.query_params.get("offset", "0")
    if not text.isdigit():
        raise PactError("BadRequest", f"offset must be a whole number, not {text!r}")
    return int(text)


def _criteria_params(request: Request) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for name in _CRITERIA:
        values = request.query_params.getlist(name)
        if values:
            many = name in ("productId", "companyId", "geography", "classification")
            given[name] = values if many else values[-1]
    return given


def list_footprints(request: Request, session: SessionDep) -> Response:
    client = _bearer(request, session, "footprint:list")
    limit, offset = _limit(request), _offset(request)
    try:
        criteria = criteria_from(_criteria_params(request))
    except EsgError as error:
        raise PactError("BadRequest", error.message) from error
    found = select(published(session, client.entities), criteria)
    page = found[offset : offset + limit]
    headers = {}
    if offset + limit < len(found):
        headers["link"] = f'<{_next_link(request, limit, offset + limit)}>; rel="next"'
    return JSONResponse({"data": page}, headers=headers)


def _next_link(request: Request, limit: int, offset: int) -> str:
    """Absolute, on the host the request named (the specification's pagination rules)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    query = urlencode([*kept, ("limit", str(limit)), ("offset", str(offset))])
    host = request.headers.get("host", request.url.netloc)
    return f"https://{host}{request.url.path}?{query}"


def get_footprint(footprint_id: str, request: Request, session: SessionDep) -> JSONResponse:
    client = _bearer(request, session, "footprint:read")
    record = published_footprint(session, footprint_id)
    if record is None:
        raise PactError("NotFound", f"footprint {footprint_id!r} does not exist")
    if client.entities is not None and record.entity not in client.entities:
        raise PactError("AccessDenied", "Access denied")
    return JSONResponse({"data": record.payload})


async def post_event(request: Request) -> Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/cloudevents+json", "application/json"):
        raise PactError(
            "BadRequest",
            "events are sent as application/cloudevents+json (structured content mode)",
        )
    raw = await request.body()
    with unit_of_work(request.app.state.database) as session:
        client = _bearer(request, session, "footprint:list")
        try:
            event = events.parse_event(raw)
            events.receive(session, event, client)
        except events.EventRefused as refused:
            session.rollback()
            raise PactError(refused.pact_code, refused.message) from refused
        except EsgError as error:  # a supplier's footprint the schema refuses, a conflict
            session.rollback()
            raise PactError("BadRequest", error.message) from error
    return Response(status_code=200)


def openid_configuration(request: Request) -> JSONResponse:
    """The OpenID Provider Configuration Document (SHOULD): where to get a token."""
    host = request.headers.get("host", request.url.netloc)
    base = f"https://{host}{request.scope.get('root_path', '')}"
    return JSONResponse(
        {
            "issuer": base,
            "token_endpoint": f"{base}/auth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": list(spec.settings()["scopes"]),
            "response_types_supported": ["token"],
        }
    )


def create_pact_app(database: Engine) -> FastAPI:
    """The host on ``database`` (a migrated ledger)."""
    app = FastAPI(title="esgledger PACT v3 host", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.database = database
    _install_errors(app)
    app.add_api_route("/.well-known/openid-configuration", openid_configuration, methods=["GET"])
    app.add_api_route("/auth/token", authenticate, methods=["POST"])
    app.add_api_route("/3/footprints", list_footprints, methods=["GET"])
    app.add_api_route("/3/footprints/{footprint_id}", get_footprint, methods=["GET"])
    app.add_api_route("/3/events", post_event, methods=["POST"])

    @app.middleware("http")
    async def https_only(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.url.scheme != "https":
            return error_response("BadRequest", "PACT is served over HTTPS only")
        return await call_next(request)

    return app


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(PactError)
    async def _pact(request: Request, error: PactError) -> JSONResponse:
        return error_response(error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response("BadRequest", "Bad Request")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == 404:
            return error_response("NotFound", f"no such action: {request.url.path}")
        if error.status_code == 405:
            return error_response("NotImplemented", f"{request.method} is not implemented here")
        return error_response("BadRequest", str(error.detail))

    @app.exception_handler(Exception)
    async def _internal(request: Request, error: Exception) -> JSONResponse:
        return error_response("InternalError", "An internal or unexpected error has occurred")
