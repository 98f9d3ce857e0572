"""The group's PACT exchange as seen by its own users: published footprints, customers'
requests and suppliers' footprints received (the PACT host itself is mounted at /pact).

Access: footprints are published per entity but read across the group, so admins, group
managers and auditors read them; a reporter gets 403, as on targets.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from esgledger.api.deps import CurrentUser, SessionDep
from esgledger.api.errors import Forbidden
from esgledger.auth.roles import SEES_ALL
from esgledger.auth.service import Principal
from esgledger.errors import Phrase
from esgledger.pact.events import all_requests
from esgledger.pact.received import supplier_footprints
from esgledger.pact.store import published

router = APIRouter(tags=["pact"])


def group_reader(principal: CurrentUser) -> Principal:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded(
            "access.may_not",
            role=Phrase.of(f"user_role.{principal.role.value}"),
            action=Phrase.of("access.read_footprints"),
        )
    return principal


GroupReader = Annotated[Principal, Depends(group_reader)]


@router.get("/pact/footprints")
def list_published(session: SessionDep, principal: GroupReader) -> dict[str, Any]:
    """Every footprint the group published, Active and Deprecated, as PACT JSON."""
    return {"data": published(session)}


@router.get("/pact/requests")
def list_requests(session: SessionDep, principal: GroupReader) -> dict[str, Any]:
    """Customers' RequestCreated events and their status (pending, fulfilled, rejected)."""
    return {"data": [{"key": r.key, **r.payload} for r in all_requests(session)]}


@router.get("/pact/supplier-footprints")
def list_supplier_footprints(session: SessionDep, principal: GroupReader) -> dict[str, Any]:
    """Suppliers' footprints received over PACT (register products.supplier_footprints)."""
    return {"data": supplier_footprints(session)}
