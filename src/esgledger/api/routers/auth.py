"""Log in and out, who am I, and API tokens for scripts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.api.deps import SESSION_COOKIE, CurrentUser, SessionDep
from esgledger.api.schemas import Text, error_responses
from esgledger.auth.roles import Role
from esgledger.auth.schema import User
from esgledger.auth.service import (
    SESSION_LIFETIME,
    authenticate,
    close_session,
    create_api_token,
    get_user,
    open_session,
)

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


@router.post("/login", response_model=LoginPublic, summary="Open a browser session")
def login(
    credentials: Credentials, session: SessionDep, request: Request, response: Response
) -> LoginPublic:
    """Check the password (throttled after repeated failures) and set the session cookie.

    The response carries the CSRF token that writes made with the cookie must send back in
    the ``X-CSRF-Token`` header.
    """
    user = session.get(User, _check_password(request.app.state.engine, credentials))
    token, csrf = open_session(session, user)
    set_session_cookie(response, token, request.app.state.settings.secure_cookies)
    return LoginPublic(username=user.username, role=Role(user.role), csrf_token=csrf)


def _check_password(engine: Engine, credentials: Credentials) -> int:
    """The user's id, checked in a transaction of its own that is kept even on failure.

    The request's unit of work is rolled back when the check fails, and the failed attempt
    with it; the throttle counts failed attempts, so they must be committed separately.
    """
    with Session(engine, expire_on_commit=False) as attempt:
        try:
            return authenticate(attempt, credentials.username, credentials.password).id
        finally:
            attempt.commit()


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


@router.post("/logout", status_code=204, summary="Close the browser session")
def logout(request: Request, session: SessionDep, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/")
