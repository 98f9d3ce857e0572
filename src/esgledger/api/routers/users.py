"""Accounts: list, add, change a user's role or entities, deactivate. Administrators only.

Everyone else gets 403. Every change is recorded in the audit log by the auth service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy.orm import Session

from esgledger.api.deps import Admin, SessionDep
from esgledger.api.pagination import Page, PageParams, page_params, paginate
from esgledger.api.schemas import CODE, WRITE_ERRORS, EntityCode, Text, UtcDateTime
from esgledger.auth.accounts import set_active
from esgledger.auth.roles import Role
from esgledger.auth.schema import User
from esgledger.auth.service import add_user, entities_of, get_user, grant, list_users
from esgledger.errors import Location, Problem, ValidationFailed
from esgledger.ledger.orgstore import load_org

router = APIRouter(prefix="/users", tags=["users"], responses=WRITE_ERRORS)

USERNAME = r"^[A-Za-z0-9_.@-]{1,80}$"  # the web form checks the same
Username = Annotated[str, StringConstraints(pattern=USERNAME)]


class UserBase(BaseModel):
    username: Username
    role: Role
    entities: list[EntityCode] = Field(
        default=[], max_length=500, description="What a reporter works on"
    )


class UserCreate(UserBase):
    password: str = Field(
        max_length=1000, description="At least 12 characters, not a common or guessable one"
    )
    display_name: Text(200, min_length=1) | None = None


class UserUpdate(BaseModel):
    """Fields left out stay as they are; ``entities`` replaces the whole list."""

    role: Role | None = None
    entities: list[EntityCode] | None = Field(default=None, max_length=500)
    active: bool | None = Field(
        default=None, description="false locks the user out at once (sessions and tokens)"
    )


class UserPublic(UserBase):
    display_name: str
    active: bool
    created_at: UtcDateTime

    @classmethod
    def of(cls, user: User, entities: list[str]) -> UserPublic:
        return cls(
            username=user.username,
            role=Role(user.role),
            entities=entities,
            display_name=user.display_name,
            active=user.active,
            created_at=user.created_at,
        )


def _check_entities(session: Session, codes: list[str] | None) -> None:
    known = {e.code for e in load_org(session)}
    problems = [
        Problem.coded(Location(column=f"entities.{n}"), code, "access.entity_unknown")
        for n, code in enumerate(codes or [])
        if code not in known
    ]
    if problems:
        raise ValidationFailed.refusing(problems, "access.entities_unknown", count=len(problems))


@router.get("", response_model=Page[UserPublic], summary="Users")
def get_users(
    principal: Admin, session: SessionDep, page: Annotated[PageParams, Depends(page_params)]
) -> Page[UserPublic]:
    """Every account by user name, with role and entities."""
    return paginate([UserPublic.of(u, e) for u, e in list_users(session)], page)


@router.post("", response_model=UserPublic, status_code=201, summary="Add a user")
def post_user(body: UserCreate, principal: Admin, session: SessionDep) -> UserPublic:
    """Create an account. A taken name is a 400; a password that is shorter than 12
    characters, blank or common is a 422 that says why."""
    _check_entities(session, body.entities)
    user = add_user(
        session,
        principal.username,
        body.username,
        body.password,
        body.role,
        body.display_name,
        body.entities,
    )
    return UserPublic.of(user, entities_of(session, user.id))


@router.patch(
    "/{username}", response_model=UserPublic, summary="Change a role or entities, deactivate"
)
def patch_user(
    username: Annotated[str, Path(max_length=80, pattern=CODE)],
    body: UserUpdate,
    principal: Admin,
    session: SessionDep,
) -> UserPublic:
    """Change a user's role and/or replace the entities it may work on; ``active: false``
    deactivates it (its sessions end, its tokens stop working), ``true`` lets it back in.
    The last active administrator can be neither demoted nor deactivated (400)."""
    user = get_user(session, username)  # 404 before anything else
    _check_entities(session, body.entities)
    if body.role is not None or body.entities is not None:
        user = grant(session, principal.username, username, role=body.role, entities=body.entities)
    if body.active is not None:
        user = set_active(session, principal.username, username, body.active)
    return UserPublic.of(user, entities_of(session, user.id))
