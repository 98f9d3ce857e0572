"""Site plans: the image each site's four-colour map is drawn on.

A plan is an evidence file (content-addressed, audited) named by a record of
``safety.site_plans`` keyed by the site, which also keeps its size in pixels: the risk
points are placed as fractions of that size. The bytes must be an image by their content,
and one Pillow can open (a truncated or forged image is refused, not stored).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.errors import EsgError
from esgledger.ledger.blobs import BlobStore
from esgledger.ledger.files import check_file, store_file
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.records import RecordChange, append_records
from esgledger.safety.hazards import PHOTO_TYPES
from esgledger.safety.models import SITE_PLANS, SitePlan
from esgledger.safety.register import check_may_write


def site_plan(session: Session, site: str) -> dict[str, Any] | None:
    """The current plan of ``site`` (sha256, name, width, height), or None."""
    record = current_record(session, SITE_PLANS, site)
    return None if record is None or record.retired else record.payload


def image_size(data: bytes, name: str) -> tuple[int, int]:
    """The width and height of an image, refusing bytes that do not open as one."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise EsgError(
            f"{name} does not open as an image",
            code="safety_mgmt.plan_not_image",
            params={"name": name, "found": "damaged or not an image"},
        ) from None


def store_plan(
    session: Session,
    principal: Principal,
    site: str,
    data: bytes,
    name: str,
    root: Path | BlobStore,
    max_bytes: int,
) -> dict[str, Any]:
    """Keep ``data`` as the plan of ``site`` (a new version when it had one)."""
    check_may_write(principal, site)
    check_file(data, name, allowed=PHOTO_TYPES, max_bytes=max_bytes)
    width, height = image_size(data, name)
    info = store_file(
        session,
        root,
        data,
        name=name,
        actor=principal.username,
        max_bytes=max_bytes,
        allowed=PHOTO_TYPES,
    )
    plan = SitePlan(sha256=info.sha256, name=name, width=width, height=height)
    payload = plan.model_dump(mode="json")
    append_records(
        session,
        SITE_PLANS,
        [RecordChange(site, payload, site)],
        actor=principal.username,
        action="safety.site_plan",
    )
    return payload
