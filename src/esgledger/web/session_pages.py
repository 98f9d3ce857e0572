"""Log in, log out and switch language: the pages around a browser session.

The login form uses the same services as ``POST /api/v1/login`` (argon2 check, throttling,
session cookie); a failed attempt is committed even though the login fails, because the
throttle counts failures.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.api.deps import SESSION_COOKIE, SessionDep
from esgledger.api.routers.auth import set_session_cookie
from esgledger.auth.service import AuthError, authenticate, close_session, open_session
from esgledger.web.i18n import LANG_COOKIE, LANGUAGES, request_language, translator
from esgledger.web.render import PageEnv, PublicEnv

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
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the password; on success set the session cookie and go where the user was."""
    lang = request_language(request)
    try:
        user = authenticate(session, username.strip(), password)
    except AuthError as exc:
        session.commit()  # keep the failed attempt: the throttle counts it
        env = PageEnv(request, session, None, lang, translator(lang))
        key = "login.throttled" if "too many" in exc.message else "login.wrong"
        return env.render(
            "login.html",
            json_href="/api/v1/login",
            next=safe_next(next),
            error=env.t(key),
            username=username,
            status_code=401,
        )
    token, _csrf = open_session(session, user)
    session.commit()
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, token, request.app.state.settings.secure_cookies)
    return response


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
