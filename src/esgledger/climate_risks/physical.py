"""Physical climate hazards by site as data: an exposure level per hazard per entity.

The file names its source (a provider's assessment, or an illustrative one, said so); the
sites must be entities of the organisation.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from esgledger.climate_risks.scales import Named
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records

Exposure = Literal["low", "medium", "high"]
EXPOSURE_ORDER = {"low": 1, "medium": 2, "high": 3}


class HazardFile(BaseModel):
    """Hazards (named in both languages) and each site's exposure to them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    hazards: dict[str, Named] = Field(min_length=1)
    sites: dict[str, dict[str, Exposure]]
    source: str = Field(min_length=1)

    def unknown(self, entities: Collection[str]) -> list[str]:
        """Sites that are not entities, and hazards a site names but the file does not."""
        bad = [site for site in self.sites if site not in entities]
        bad += [
            f"{s}.{h}" for s, levels in self.sites.items() for h in levels if h not in self.hazards
        ]
        return bad


def load_hazards(path: Path, entities: Collection[str]) -> HazardFile:
    """The hazards file, checked against the organisation.

    Raises:
        EsgError: unreadable, badly shaped, or naming unknown sites or hazards.
    """
    try:
        hazards = HazardFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise EsgError(
            f"{path}: {exc}", code="climate_risks.price_file",
            params={"file": path, "detail": str(exc).splitlines()[0]},
        ) from None  # fmt: skip
    if bad := hazards.unknown(entities):
        detail = f"unknown sites or hazards: {', '.join(bad)}"
        raise EsgError(
            f"{path}: {detail}", code="climate_risks.price_file",
            params={"file": path, "detail": detail},
        )  # fmt: skip
    return hazards


HAZARDS_REGISTER = "climate.hazards"
HAZARD_NAMES_KEY = "_hazards"


def save_hazards(session: Session, hazards: HazardFile, *, actor: str) -> int:
    """Keep each site's exposures as a record of ``climate.hazards`` (keyed by site, scoped
    to it), and the hazards' names and the source as one more; returns records changed."""
    current = {r.key: r.payload for r in current_records(session, HAZARDS_REGISTER)}
    wanted = {
        site: ({"exposure": levels, "source": hazards.source}, site)
        for site, levels in hazards.sites.items()
    }
    names = {name: named.model_dump() for name, named in hazards.hazards.items()}
    wanted[HAZARD_NAMES_KEY] = ({"hazards": names, "source": hazards.source}, None)
    changes = [
        RecordChange(key, payload, entity=entity)
        for key, (payload, entity) in wanted.items()
        if current.get(key) != payload
    ]
    if changes:
        append_records(session, HAZARDS_REGISTER, changes, actor=actor, action="climate.hazards")
    return len(changes)


def read_hazards(session: Session, scope: Collection[str] | None = None) -> HazardFile | None:
    """The hazards as recorded (sites limited to ``scope``), or None before any."""
    names = current_records(session, HAZARDS_REGISTER, keys=[HAZARD_NAMES_KEY])
    if not names:
        return None
    sites = current_records(session, HAZARDS_REGISTER, entities=scope)
    return HazardFile(
        hazards=names[0].payload["hazards"],
        sites={r.key: r.payload["exposure"] for r in sites if r.key != HAZARD_NAMES_KEY},
        source=names[0].payload["source"],
    )
