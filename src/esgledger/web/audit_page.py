"""The audit log page: filter and page through the entries, export them, verify on request.

Entries are read with the one audit read (``ledger.reads.audit_log``) and the API's
filters (a form's empty fields meaning "any"), so the page, the API and `esgledger audit
log` show the same entries. Verifying recomputes the whole chain and every sealed row,
which grows with the ledger: it runs when someone presses "Verify now" (a POST), never
on a page view, and its verdict is never kept (the ledger changes under it).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from esgledger.api.deps import AuditReader
from esgledger.ledger import checkpoint
from esgledger.ledger.reads.audit_log import AuditFilter, audit_page, filter_from_text
from esgledger.ledger.verify import Verification, verify_ledger
from esgledger.web.audit_text import action_label, detail_text
from esgledger.web.render import Env, PageEnv

router = APIRouter()
AUDIT_PAGE = 50


def page_filter(
    entity: str = "",
    actor: str = "",
    action: str = "",
    first_day: str = Query(default="", alias="from"),
    last_day: str = Query(default="", alias="to"),
) -> AuditFilter:
    """The API's filters as the page's form sends them: a field left empty is no filter."""
    return filter_from_text(entity, actor, action, first_day, last_day)


PageFilter = Annotated[AuditFilter, Depends(page_filter)]


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    env: Env, principal: AuditReader, where: PageFilter, offset: int = Query(default=0, ge=0)
) -> HTMLResponse:
    """The newest entries first, as filtered; the chain is verified only when asked."""
    return _page(env, where, offset, chain=None)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify_now(
    env: Env, principal: AuditReader, where: PageFilter, offset: int = Query(default=0, ge=0)
) -> HTMLResponse:
    """Recompute the chain and the data it seals now, and show the verdict above the log."""
    chain = verify_ledger(env.session, (), checkpoint.signing_key())
    return _page(env, where, offset, chain=chain)


def _page(env: PageEnv, where: AuditFilter, offset: int, chain: Verification | None):
    entries, total = audit_page(env.session, where, offset, AUDIT_PAGE)
    query = filter_query(where)
    return env.render(
        "audit.html",
        json_href=f"/api/v1/audit?{query}{'&' if query else ''}offset={offset}&limit={AUDIT_PAGE}",
        chain=chain,
        where=where,
        query=query,
        entries=entries,
        total=total,
        offset=offset,
        page_size=AUDIT_PAGE,
        action_label=action_label,
        detail_text=detail_text,
    )


def filter_query(where: AuditFilter) -> str:
    """The filters as a query string, in the API's names (``from``, ``to``), for the pager,
    the export link and the verify form to keep them."""
    fields = {
        "entity": where.entity,
        "actor": where.actor,
        "action": where.action,
        "from": where.first_day,
        "to": where.last_day,
    }
    return urlencode({name: value for name, value in fields.items() if value})
