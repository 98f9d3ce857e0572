"""Who may see which entity on a page, and the write-then-redirect step every form ends with.

Role checks themselves are the API's dependencies (``Writer``, ``Reviewer``,
``AuditReader`` in :mod:`esgledger.api.deps`), so pages and API enforce the same rules.
An entity a reporter was not granted is "not found" to it, as in the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from esgledger.api.deps import require_entity
from esgledger.errors import EsgError, NotFoundError
from esgledger.org import Entity, OrgTree
from esgledger.periods import Granularity, Period
from esgledger.web.render import PageEnv


async def posted_form(request: Request) -> FormData:
    """The submitted form, read once (the CSRF check has usually parsed and cached it).

    A dependency, so that page handlers can stay synchronous and run in the thread pool.
    """
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def tree_order(org: OrgTree) -> list[Entity]:
    """Entities depth-first from the root, children by code: the order of the org chart."""
    ordered: list[Entity] = []
    stack = [org.root] if org.root else []
    while stack:
        entity = stack.pop()
        ordered.append(entity)
        stack.extend(reversed(org.children(entity.code)))
    return ordered


def visible_entities(env: PageEnv) -> list[Entity]:
    """The entities the user may see, in org-chart order."""
    return [e for e in tree_order(env.org) if env.principal.may_see(e.code)]


def visible_entity(env: PageEnv, code: str) -> Entity:
    """The entity ``code`` if this user may see it; otherwise "not found"."""
    require_entity(env.principal, code)
    return env.org.get(code)


def visible_code(env: PageEnv, code: str) -> None:
    """An entity or boundary; boundaries span entities, so reporters see none."""
    if code in env.org:
        visible_entity(env, code)
    elif env.principal.entities is not None:
        raise NotFoundError.coded("page.entity_not_yours", code=code)


def entry_period(text: str) -> Period:
    """A year or a month: the periods values are entered for."""
    period = Period.parse(text)
    if period.granularity not in (Granularity.YEAR, Granularity.MONTH):
        raise EsgError.coded("page.entry_period", text=text)
    return period


def last_year(period: Period) -> str:
    """The same period one year earlier (2024-03 → 2023-03)."""
    if period.granularity is Granularity.MONTH:
        return f"{period.year - 1}-{period.start.month:02d}"
    return str(period.year - 1)


def commit_and_redirect(session: Session, url: str) -> RedirectResponse:
    """Commit before answering, so the page the browser loads next already sees the write."""
    session.commit()
    return RedirectResponse(url, status_code=303)


def take_step(
    env: PageEnv,
    steps: Mapping[str, Callable[[], object]],
    step: str,
    refused: Callable[[str], Response],
    done: str,
) -> Response:
    """One step of a register's workflow, posted from its page (submit, approve, verify...).

    A step the user may not take changes nothing: the page comes back with the reason in
    the page's language (``refused``); an unknown step or record is a 404; a step taken is
    committed before the browser is sent on to ``done``."""
    if step not in steps:
        raise NotFoundError.coded("page.no_step", step=step)
    try:
        steps[step]()
    except NotFoundError:
        env.session.rollback()
        raise
    except EsgError as exc:
        env.session.rollback()
        return refused(exc.render(env.lang))
    return commit_and_redirect(env.session, done)
