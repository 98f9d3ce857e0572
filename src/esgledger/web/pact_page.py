"""The PACT exchange page: footprints the group published, customers' requests waiting to
be fulfilled (``esgledger pact fulfil``), and suppliers' footprints received.

Each table downloads as XLSX; the JSON twins are under /api/v1/pact.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.api.routers.pact import GroupReader
from esgledger.pact.events import all_requests
from esgledger.pact.received import supplier_footprints
from esgledger.pact.store import published
from esgledger.web.render import Env

router = APIRouter()


@router.get("/pact-exchange", response_class=HTMLResponse)
def pact_exchange(env: Env, principal: GroupReader) -> HTMLResponse:
    footprints = sorted(published(env.session), key=lambda f: (f["productIds"][0], f["created"]))
    requests = [{"key": r.key, **r.payload} for r in all_requests(env.session)]
    return env.render(
        "pact.html",
        json_href="/api/v1/pact/footprints",
        footprints=footprints,
        requests=requests,
        received=supplier_footprints(env.session),
    )
