"""What the assurance API, the pages and the demo share: creating an engagement against the
catalog and organisation, drawing a sample with the review's plausibility flags, and telling
a reporter about a query through the in-app notices (``esgledger.notices``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.assurance.engagements import engagement, save_engagement, save_sample
from esgledger.assurance.model import checked_engagement
from esgledger.assurance.population import population
from esgledger.assurance.sampling import draw
from esgledger.auth.service import Principal
from esgledger.calc.plausibility import factor_library, review_flags
from esgledger.catalog.registry import Catalog
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.reads.records import RecordView
from esgledger.notices import Notice, post_notices
from esgledger.settings import Settings


def create_engagement(
    session: Session, principal: Principal, catalog: Catalog, fields: dict[str, Any]
) -> RecordView:
    """Check an engagement's fields against the organisation and catalog, then store it."""
    payload = checked_engagement(
        fields["code"],
        int(fields["year"]),
        fields["standard"],
        fields["level"],
        list(fields["entities"]),
        list(fields["indicators"]),
        known_entities={entity.code for entity in load_org(session)},
        known_indicators=set(catalog.ids()),
        common_unit=fields.get("common_unit") or "tCO2e",
        title=fields.get("title") or "",
    )
    return save_engagement(session, principal, payload)


def draw_sample(
    session: Session,
    principal: Principal,
    settings: Settings,
    code: str,
    method: str,
    size: int,
    seed: int,
) -> RecordView:
    """Draw and store a sample of engagement ``code`` (risk flags include plausibility)."""
    payload = engagement(session, code).payload
    flags = review_flags(session, factor_library(tuple(settings.factor_files)))
    frame = population(session, payload, flags)
    return save_sample(session, principal, code, draw(frame, method, size, seed))


def notify_query(session: Session, query: RecordView, actor: str) -> int:
    """Post a notice to the query's recipient (in the inbox, mailed by the delivery job)."""
    p = query.payload
    notice = Notice(
        recipient=p["recipient"],
        kind="assurance_query",
        params={"entity": p["entity"], "period": p["period"], "indicator": p["indicator"]},
        link=f"/assurance/query?key={query.key}",
        entity=p["entity"],
    )
    return post_notices(session, [notice], actor=actor)
