"""Render a page: the template, the language, the user, the labels and the JSON twin link.

Every page handler gets a :class:`PageEnv` and calls :meth:`PageEnv.render`, so all pages
share one base template context (navigation by role, CSRF token, language switch) and
one way of naming indicators, entities and boundaries in the chosen language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.orm import Session

from esgledger.api.deps import SessionDep, current_principal, optional_principal
from esgledger.auth.roles import AUDIT_READERS, REVIEWERS, SEES_ALL, WRITERS, Role
from esgledger.auth.service import Principal
from esgledger.catalog.registry import Catalog
from esgledger.engine.consolidate import GROUP
from esgledger.glossary import has_chinese, load_glossary
from esgledger.ledger.orgstore import load_org
from esgledger.org import OrgTree
from esgledger.reporting_time import shown_time
from esgledger.web import TEMPLATE_DIR, table_download
from esgledger.web.i18n import Translator, request_language, translator
from esgledger.web.register_links import REGISTER_PATHS

templates = Jinja2Templates(directory=TEMPLATE_DIR)
DOWNLOAD_PARAMETER = "xlsx"  # ?xlsx=NAME: the page's table NAME as a workbook


def format_number(value: Any) -> str:
    """Figures as a reader scans them: thousands separated, decimals only where they matter."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 100:
        return f"{number:,.1f}"
    if size >= 1 or size == 0:
        return f"{number:,.2f}".rstrip("0").rstrip(".") if size else "0"
    return f"{number:.3g}"


def data_language(text: object) -> str:
    """The ``lang`` of a text the ledger holds as written (a comment, a source): Chinese
    when it has Chinese characters, else English. Marked on its element, it is read in its
    own language on a page in the other one (screen readers switch voice)."""
    return "zh-CN" if has_chinese(text) else "en"


@pass_context
def format_time(context: Context, value: datetime | None) -> str:
    """Ledger times (UTC) in the server's reporting time zone, to the minute, zone named."""
    return shown_time(value, context["request"].app.state.settings.timezone)


templates.env.filters["num"] = format_number
templates.env.filters["when"] = format_time
templates.env.filters["urlq"] = lambda value: quote(str(value), safe="")
templates.env.filters["data_lang"] = data_language

# (label key, path, who sees the link); None = every logged-in user.
NAV = (
    ("nav.my_work", "/home", None),  # due, rejected and why, comments to answer: home_page
    ("nav.dashboard", "/", None),
    ("nav.entry", "/entry", WRITERS),
    ("nav.review", "/review", REVIEWERS | {Role.AUDITOR}),
    ("nav.completeness", "/completeness", None),
    ("nav.explain", "/explain", None),
    ("nav.targets", "/targets", SEES_ALL),
    ("nav.pathways", "/pathways", SEES_ALL),
    ("nav.registers", "/registers", None),  # materiality ... jobs: web/registers_page.py
    ("nav.report", "/report", REVIEWERS),
    ("nav.audit", "/audit", AUDIT_READERS),
    ("nav.users", "/users", {Role.ADMIN}),
)


def _is_current(href: str, path: str) -> bool:
    """Whether the menu entry ``href`` is the one the page at ``path`` belongs to."""
    if href == "/registers" and path.startswith(REGISTER_PATHS):
        return True
    return href == path or (href != "/" and path.startswith(href))


@dataclass
class PageEnv:
    """What every page handler needs: request, session, user, language and labels."""

    request: Request
    session: Session
    principal: Principal | None
    lang: str
    t: Translator
    _org: OrgTree | None = field(default=None, repr=False)

    @property
    def catalog(self) -> Catalog:
        return self.request.app.state.catalog

    @property
    def org(self) -> OrgTree:
        if self._org is None:
            self._org = load_org(self.session)
        return self._org

    def indicator_name(self, indicator: str) -> str:
        if indicator in self.catalog:
            return self.catalog.get(indicator).name(self.lang)
        return indicator

    def unit_label(self, unit: str, indicator: str | None = None) -> str:
        """A unit as the glossary writes it in this language (a count as its count word)."""
        return load_glossary().unit_label(unit, self.lang, indicator)

    def code_label(self, code: str) -> str:
        """An entity's name, or the name of a boundary (group, tag, segment)."""
        if code == GROUP:
            return self.t("boundary.group")
        kind, _, rest = code.partition(":")
        if kind == "tag":
            named = self.t(f"boundary.tag.{rest}")
            return named if named != f"boundary.tag.{rest}" else self.t("boundary.tag", tag=rest)
        if kind == "segment":
            return self.t(f"segment.{rest}")
        if kind == "subtree":
            return self.t("boundary.subtree", name=self.code_label(rest))
        return self.org.get(code).name(self.lang) if code in self.org else code

    def can(self, roles: frozenset[Role]) -> bool:
        return self.principal is not None and self.principal.role in roles

    def nav(self) -> list[tuple[str, str, bool]]:
        path = self.request.url.path
        return [
            (self.t(key), href, _is_current(href, path))
            for key, href, roles in NAV
            if roles is None or self.can(frozenset(roles))
        ]

    def unread(self) -> int:
        """The menu badge: how many of the user's notices are unread (0 for a visitor)."""
        if self.principal is None:
            return 0
        from esgledger.notices import unread_count

        return unread_count(self.session, self.principal.username)

    def download_href(self, table: str) -> str:
        """This page's address asking for its table ``table`` as XLSX (table_download)."""
        url = self.request.url.include_query_params(**{DOWNLOAD_PARAMETER: table})
        return f"{url.path}?{url.query}"

    def render(
        self, template: str, *, json_href: str | None = None, status_code: int = 200, **context
    ) -> Response:
        """The page ``template`` with the shared context; ``json_href`` names its JSON twin.

        With ``?xlsx=NAME`` the answer is the page's table NAME as a workbook instead.
        """
        base = {
            "env": self,
            "t": self.t,
            "lang": self.lang,
            "user": self.principal,
            "nav": self.nav(),
            "csrf_token": getattr(self.request.state, "csrf_token", ""),
            "json_href": json_href,
            "unread": self.unread(),
            "here": self.request.url.path
            + (f"?{self.request.url.query}" if self.request.url.query else ""),
        }
        page = templates.TemplateResponse(
            self.request, template, {**base, **context}, status_code=status_code
        )
        table = self.request.query_params.get(DOWNLOAD_PARAMETER)
        if table is None or status_code != 200:
            return page
        return table_download.download(bytes(page.body).decode(), table, self.request.url.path)


def page_env(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(current_principal)],
) -> PageEnv:
    """The page environment for a logged-in user (a visitor is sent to /login)."""
    lang = request_language(request)
    return PageEnv(request, session, principal, lang, translator(lang))


def public_env(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> PageEnv:
    """The page environment of a page that visitors may see too (login)."""
    lang = request_language(request)
    return PageEnv(request, session, principal, lang, translator(lang))


Env = Annotated[PageEnv, Depends(page_env)]
PublicEnv = Annotated[PageEnv, Depends(public_env)]
