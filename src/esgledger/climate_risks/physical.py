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

from esgledger.climate_risks.scales import Named
from esgledger.errors import EsgError

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
