"""Log in, log out, change one's password and switch language: the pages around a session.

The login form uses the same services as ``POST /api/v1/login`` (argon2 check, throttling
that commits its count before the check, a new session id replacing the browser's old
one), and the password form those of ``POST /api/v1/password``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.api.deps import SESSION_COOKIE, SessionDep
from esgledger.api.routers.auth import client_address, set_session_cookie
from esgledger.auth.accounts import change_password
from esgledger.auth.credentials import check_login, close_session, open_session
from esgledger.auth.roles import Role
from esgledger.auth.schema import User
from esgledger.auth.service import AuthError, get_user
from esgledger.auth.throttle import Throttled
from esgledger.errors import EsgError
from esgledger.web.home_page import landing_for
from esgledger.web.i18n import LANG_COOKIE, LANGUAGES, request_language, translator
from esgledger.web.render import Env, PageEnv, PublicEnv

router = APIRouter()
ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to return to; anything that could leave the site becomes ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


@router.get("/login")
def login_form(env: PublicEnv, next: str | None = None) -> Response:
    """The login form; someone already logged in goes straight on."""
    if env.principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return env.render("login.html", json_href="/api/v1/login", next=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the password; on success set a new session cookie and go where the user was."""
    database = request.app.state.database
    try:
        user_id = check_login(database, username.strip(), password, client_address(request))
    except (AuthError, Throttled) as exc:
        lang = request_language(request)
        env = PageEnv(request, session, None, lang, translator(lang))
        throttled = isinstance(exc, Throttled)
        response = env.render(
            "login.html",
            json_href="/api/v1/login",
            next=safe_next(next),
            error=env.t("login.throttled" if throttled else "login.wrong"),
            username=username,
            status_code=429 if throttled else 401,
        )
        if throttled:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return _signed_in(request, session, user_id, safe_next(next))


def _signed_in(request: Request, session: SessionDep, user_id: int, target: str) -> Response:
    """A new session for this browser (its old one ends), committed, then on to ``target``."""
    user = session.get(User, user_id)
    if target == "/":  # no page asked for: the user's own landing page (a reporter's home)
        target = landing_for(Role(user.role))
    token, _csrf = open_session(session, user, replacing=request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, token, request.app.state.settings.secure_cookies)
    return response


@router.get("/password")
def password_form(env: Env, done: bool = False) -> Response:
    """The form to change one's own password."""
    return env.render("password.html", json_href="/api/v1/me", error=None, done=done)


@router.post("/password")
def password_change(
    env: Env,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
    repeat_password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Change the password; every session of the user ends and this browser gets a new one."""
    request, session = env.request, env.session
    user = get_user(session, env.principal.username)
    try:
        if new_password != repeat_password:
            raise EsgError(env.t("password.mismatch"))
        change_password(
            request.app.state.database,
            session,
            user,
            current_password,
            new_password,
            client_address(request),
        )
    except (EsgError, Throttled) as exc:  # a user's mistake: shown on the form, nothing saved
        status = 429 if isinstance(exc, Throttled) else 400
        return env.render(
            "password.html", json_href="/api/v1/me", error=exc.message, status_code=status
        )
    return _signed_in(request, session, user.id, "/password?done=1")


@router.get("/logout")
def logout_form(env: PublicEnv) -> Response:
    """A confirmation page: logging out is a POST, so another site cannot trigger it."""
    if env.principal is None:
        return RedirectResponse("/login", status_code=303)
    return env.render("logout.html", json_href="/api/v1/me")


@router.post("/logout")
def logout(env: PublicEnv) -> Response:
    """End the session on the server too, so a copied cookie stops working."""
    token = env.request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(env.session, token)
    env.session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> RedirectResponse:
    """Remember the chosen language in a cookie and show the same page again."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=ONE_YEAR, samesite="lax", path="/")
    return response
