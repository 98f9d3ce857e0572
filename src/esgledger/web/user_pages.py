"""Administrators manage accounts in the browser: list, add, change a role or the
entities of a reporter, deactivate or let back in, reset a password, and set the e-mail
address notices are mailed to.

Every change goes through the same auth functions as `esgledger user` and
``/api/v1/users`` (so the audit log records it and the last active administrator can
be neither demoted nor deactivated); a refused change is shown on the page, nothing saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Admin
from esgledger.api.routers.users import USERNAME
from esgledger.auth.accounts import reset_password, set_active
from esgledger.auth.roles import Role
from esgledger.auth.service import add_user, entities_of, get_user, grant, list_users
from esgledger.errors import EsgError
from esgledger.notices.contacts import email_of, set_email
from esgledger.web.access import PostedForm, commit_and_redirect, tree_order
from esgledger.web.render import Env

router = APIRouter()
ROLES = [role.value for role in Role]


@router.get("/users", response_class=HTMLResponse)
def users_page(env: Env, principal: Admin, done: str | None = None) -> HTMLResponse:
    """Every account with its role, entities and state, and the form to add one."""
    return _users(env, notice=env.t(f"users.done.{done}") if done else None)


def _users(env: Env, error: str | None = None, notice: str | None = None) -> HTMLResponse:
    return env.render(
        "users.html",
        json_href="/api/v1/users",
        users=list_users(env.session),
        roles=ROLES,
        entities=tree_order(env.org),
        error=error,
        notice=notice,
        status_code=400 if error else 200,
    )


@router.post("/users", response_model=None)
def create_user(
    env: Env,
    principal: Admin,
    form: PostedForm,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=20)],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add an account with a role and, for a reporter, the entities it works on."""
    try:
        if not re.fullmatch(USERNAME, username):
            raise EsgError(env.t("users.bad_name", name=username))
        add_user(
            env.session,
            principal.username,
            username,
            password,
            _role(env, role),
            display_name.strip() or None,
            _entities(env, form.getlist("entities")),
        )
    except EsgError as exc:
        env.session.rollback()
        return _users(env, error=exc.message)
    return commit_and_redirect(env.session, "/users?done=added")


@router.get("/users/{username}", response_class=HTMLResponse)
def user_page(env: Env, principal: Admin, username: str, done: str | None = None) -> HTMLResponse:
    """One account: its role and entities, its state, and a new password."""
    return _user(env, username, notice=env.t(f"users.done.{done}") if done else None)


def _user(
    env: Env, username: str, error: str | None = None, notice: str | None = None
) -> HTMLResponse:
    user = get_user(env.session, username)
    return env.render(
        "user.html",
        json_href="/api/v1/users",
        account=user,
        granted=entities_of(env.session, user.id),
        email=email_of(env.session, username),
        roles=ROLES,
        entities=tree_order(env.org),
        error=error,
        notice=notice,
        status_code=400 if error else 200,
    )


@router.post("/users/{username}/role", response_model=None)
def change_role(
    env: Env,
    principal: Admin,
    form: PostedForm,
    username: str,
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    """A new role and, for a reporter, the whole list of its entities."""
    entities = form.getlist("entities")
    return _change(
        env,
        username,
        "role",
        lambda: grant(
            env.session,
            principal.username,
            username,
            role=_role(env, role),
            entities=_entities(env, entities),
        ),
    )


@router.post("/users/{username}/active", response_model=None)
def change_active(
    env: Env, principal: Admin, username: str, active: Annotated[bool, Form()]
) -> Response:
    """Deactivate (sessions and tokens end at once) or let the user back in."""
    return _change(
        env,
        username,
        "activated" if active else "deactivated",
        lambda: set_active(env.session, principal.username, username, active),
    )


@router.post("/users/{username}/password", response_model=None)
def change_password(
    env: Env, principal: Admin, username: str, password: Annotated[str, Form(max_length=1000)]
) -> Response:
    """A new password for a user who forgot theirs; their sessions end."""
    return _change(
        env,
        username,
        "password",
        lambda: reset_password(env.session, principal.username, username, password),
    )


@router.post("/users/{username}/email", response_model=None)
def change_email(
    env: Env, principal: Admin, username: str, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    """The address the user's notices are mailed to; empty leaves them in the inbox only."""
    return _change(
        env, username, "email", lambda: set_email(env.session, principal.username, username, email)
    )


def _change(env: Env, username: str, done: str, step: Callable[[], object]) -> Response:
    """Run one account change; a refusal is shown on the user's page and nothing is saved."""
    get_user(env.session, username)  # an unknown user is a 404 before anything else
    try:
        step()
    except EsgError as exc:
        env.session.rollback()
        return _user(env, username, error=exc.text(env.lang))
    return commit_and_redirect(env.session, f"/users/{username}?done={done}")


def _role(env: Env, text: str) -> Role:
    if text not in ROLES:
        raise EsgError(env.t("users.bad_role", role=text, roles=", ".join(ROLES)))
    return Role(text)


def _entities(env: Env, codes: list[str]) -> list[str]:
    """The ticked entities, each one of the organisation's."""
    unknown = [code for code in codes if code not in env.org]
    if unknown:
        raise EsgError(env.t("users.bad_entities", codes=", ".join(unknown)))
    return [str(code) for code in codes]
