"""The management registers and related work in one place: the menu keeps one entry for
them (a phone's menu and a desktop's top bar have room for only so many), and this page
lists each with what it is for, as far as the user's role may open it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.api.deps import CurrentUser
from esgledger.web.register_links import REGISTER_PAGES
from esgledger.web.render import Env

router = APIRouter()


@router.get("/registers", response_class=HTMLResponse)
def registers_page(env: Env, principal: CurrentUser) -> HTMLResponse:
    pages = [
        (env.t(title), env.t(description), path)
        for title, description, path, roles in REGISTER_PAGES
        if roles is None or principal.role in roles
    ]
    return env.render("registers.html", pages=pages)
