"""Dependencies every router shares: the database session, the acting user, role checks.

A request is authenticated by an API token (``Authorization: Bearer esg_...``) or by the
browser's session cookie. Cookie-authenticated writes must also carry the session's CSRF
token (header ``X-CSRF-Token`` or form field ``csrf_token``), so another site cannot make
a logged-in browser write.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from esgledger.api.errors import Forbidden, Unauthorized
from esgledger.api.loopreads import loop_reads
from esgledger.auth.roles import AUDIT_READERS, COMMENTERS, REVIEWERS, WRITERS, Role
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, Phrase

SESSION_COOKIE = "esgledger_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the handler returns, else rolled back.

    A page that answers a refused write with a form (409, 422) rolls back itself and then
    reads again to draw it, so the session is not bound to one ``begin()`` block.
    """
    with Session(request.app.state.database, expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:  # anything raised by the handler: nothing of it is kept
            session.rollback()
            raise
        session.commit()


# scope="function": the commit runs when the handler returns, before the response is sent.
# With FastAPI's default ("request") it ran after the response had gone out, so the
# client's next request could miss the write (a fresh login cookie answered 401).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def optional_principal(request: Request) -> Principal | None:
    """The caller, from an API token or the session cookie; None for nobody.

    The look-up runs on the event loop with a connection of its own (see
    :mod:`esgledger.api.loopreads`), not in the request's unit of work.
    """
    reads = loop_reads(request.app)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = reads.token_principal(header[7:].strip())
        if principal is None:
            raise Unauthorized.coded("access.token_unknown")
        return principal
    token = request.cookies.get(SESSION_COOKIE)
    found = reads.session_principal(token) if token else None
    if found is None:
        return None
    principal, csrf = found
    request.state.csrf_token = csrf
    if request.method not in SAFE_METHODS and not await _csrf_ok(request, csrf):
        raise Forbidden.coded("access.csrf")
    return principal


async def _csrf_ok(request: Request, expected: str) -> bool:
    given = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if given is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get("csrf_token")  # starlette caches the parsed form
    return given == expected


async def current_principal(  # async: trivial, so no hop to the thread pool
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized.coded("access.log_in")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def _requiring(roles: frozenset[Role], what: str):
    async def check(principal: CurrentUser) -> Principal:
        if principal.role not in roles:
            raise Forbidden.coded(
                "access.may_not",
                role=Phrase.of(f"user_role.{principal.role.value}"),
                action=Phrase.of(what),
            )
        return principal

    return check


Writer = Annotated[Principal, Depends(_requiring(WRITERS, "access.change_data"))]
Reviewer = Annotated[Principal, Depends(_requiring(REVIEWERS, "access.review"))]
Admin = Annotated[Principal, Depends(_requiring(frozenset({Role.ADMIN}), "access.manage_users"))]
Commenter = Annotated[Principal, Depends(_requiring(COMMENTERS, "access.comment"))]
AuditReader = Annotated[Principal, Depends(_requiring(AUDIT_READERS, "access.read_audit_log"))]


def require_entity(principal: Principal, entity: str) -> None:
    """A reporter may only touch its own entities; others are 'not found' to it."""
    if not principal.may_see(entity):
        raise NotFoundError.coded("page.entity_not_yours", code=entity)
