"""What is due for one user: the campaign requests of entities they own that are not
complete, with what is still missing (the reporter's home page reads this)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.collection.campaigns import list_campaigns, requested_frame, requests_of
from esgledger.collection.completeness import missing_items


@dataclass(frozen=True)
class DueItem:
    """One entity's open request in one campaign, as its owner sees it."""

    campaign: str
    title: str
    entity: str
    year: int
    due: date
    owed: int  # owed items (each month of a monthly input)
    missing: int
    missing_indicators: tuple[str, ...]  # the inputs with at least one item open
    days_left: int  # negative once overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due_for_user(session: Session, catalog: Catalog, username: str, today: date) -> list[DueItem]:
    """The open requests ``username`` owns, soonest due first; complete ones are left out."""
    found: list[DueItem] = []
    for campaign in list_campaigns(session):
        mine = [r for r in requests_of(session, campaign.name) if username in r.owners]
        if not mine:
            continue
        gaps = missing_items(session, catalog, requested_frame(mine), campaign.year)
        for request in mine:
            open_items = gaps.filter(gaps["entity"] == request.entity)
            if open_items.height == 0:
                continue
            found.append(
                DueItem(
                    campaign=campaign.name,
                    title=campaign.title,
                    entity=request.entity,
                    year=campaign.year,
                    due=campaign.due,
                    owed=_owed_items(catalog, request.owed),
                    missing=open_items.height,
                    missing_indicators=tuple(open_items["indicator"].unique(maintain_order=True)),
                    days_left=(campaign.due - today).days,
                )
            )
    return sorted(found, key=lambda item: (item.due, item.entity))


def _owed_items(catalog: Catalog, owed: tuple[str, ...]) -> int:
    return sum(12 if catalog.get(i).frequency == "monthly" else 1 for i in owed)
