"""Log in and out, who am I, one's own password, and API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from esgledger.api.deps import SESSION_COOKIE, CurrentUser, SessionDep, optional_principal
from esgledger.api.schemas import Text, UtcDateTime, error_responses
from esgledger.auth.accounts import change_password
from esgledger.auth.credentials import (
    SESSION_LIFETIME,
    check_login,
    close_session,
    create_api_token,
    list_api_tokens,
    open_session,
    revoke_api_token,
)
from esgledger.auth.roles import Role
from esgledger.auth.schema import ApiToken, User
from esgledger.auth.service import Principal, get_user

router = APIRouter(tags=["auth"], responses=error_responses(400))


class Credentials(BaseModel):
    username: Text(80, min_length=1)
    password: str = Field(max_length=1000)


class LoginPublic(BaseModel):
    username: str
    role: Role
    csrf_token: str


class MePublic(BaseModel):
    username: str
    role: Role
    entities: list[str] | None


class TokenCreate(BaseModel):
    name: Text(200, min_length=1)


class TokenPublic(BaseModel):
    name: str
    token: str


class TokenInfo(BaseModel):
    """A token as listed: its secret is never stored, so never shown again."""

    id: int
    name: str
    created_at: UtcDateTime
    revoked: bool

    @classmethod
    def of(cls, token: ApiToken) -> TokenInfo:
        return cls(id=token.id, name=token.name, created_at=token.created_at, revoked=token.revoked)


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


def client_address(request: Request) -> str | None:
    """The caller's address, for the per-address login throttle (a proxy's, unless the
    server is started to trust its forwarded-for header)."""
    return request.client.host if request.client else None


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )


@router.post(
    "/login",
    response_model=LoginPublic,
    summary="Open a browser session",
    responses=error_responses(429),
)
def login(
    credentials: Credentials, session: SessionDep, request: Request, response: Response
) -> LoginPublic:
    """Check the password and set a new session cookie (any older one of this browser ends).

    Five tries per name and thirty per address in 15 minutes; after that 429 with a
    ``Retry-After`` header. The response carries the CSRF token that writes made with the
    cookie must send back in the ``X-CSRF-Token`` header.
    """
    user_id = check_login(
        request.app.state.database,
        credentials.username,
        credentials.password,
        client_address(request),
    )
    user = session.get(User, user_id)
    token, csrf = open_session(session, user, replacing=request.cookies.get(SESSION_COOKIE))
    set_session_cookie(response, token, request.app.state.settings.secure_cookies)
    return LoginPublic(username=user.username, role=Role(user.role), csrf_token=csrf)


@router.get("/me", response_model=MePublic, summary="The logged-in user")
async def me(principal: CurrentUser) -> MePublic:  # no I/O: no hop to the thread pool
    entities = sorted(principal.entities) if principal.entities is not None else None
    return MePublic(username=principal.username, role=principal.role, entities=entities)


@router.post(
    "/tokens",
    response_model=TokenPublic,
    status_code=201,
    summary="Create an API token for scripts",
)
def new_token(body: TokenCreate, principal: CurrentUser, session: SessionDep) -> TokenPublic:
    """The token is shown once; send it as ``Authorization: Bearer <token>``.

    Every role may create tokens for itself, auditors included: a token acts with its
    owner's role and entities, so an auditor's token still writes nothing.
    """
    user = get_user(session, principal.username)
    return TokenPublic(name=body.name, token=create_api_token(session, user, body.name))


@router.get("/tokens", response_model=list[TokenInfo], summary="Your API tokens")
def my_tokens(principal: CurrentUser, session: SessionDep) -> list[TokenInfo]:
    """Every token you created, oldest first, with whether it is revoked."""
    user = get_user(session, principal.username)
    return [TokenInfo.of(t) for t in list_api_tokens(session, user)]


@router.post("/tokens/{token_id}/revoke", response_model=TokenInfo, summary="Revoke a token")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    principal: CurrentUser,
    session: SessionDep,
) -> TokenInfo:
    """Revoke one of your tokens; requests with it get 401 from now on. Audited."""
    user = get_user(session, principal.username)
    return TokenInfo.of(revoke_api_token(session, principal.username, user, token_id))


@router.post(
    "/password",
    status_code=204,
    summary="Change your password",
    responses=error_responses(429),
)
def new_password(
    body: PasswordChange, principal: CurrentUser, session: SessionDep, request: Request
) -> None:
    """Give the current password and the new one (at least 12 characters, not a common one).

    Every login session of yours ends; log in again with the new password. API tokens stay
    valid (revoke them with ``POST /tokens/{id}/revoke``).
    """
    user = get_user(session, principal.username)
    database = request.app.state.database
    change_password(
        database, session, user, body.current_password, body.new_password, client_address(request)
    )


@router.post("/logout", status_code=204, summary="Close the browser session")
def logout(
    request: Request,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> None:
    """End the session; with a live session cookie the CSRF token is required, as for any
    other write (``optional_principal`` checks it)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/")
