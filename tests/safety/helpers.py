"""Shared bits of the safety tests: principals and small images."""

from __future__ import annotations

import io

from PIL import Image

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal

MANAGER = Principal(1, "zhang.manager", Role.GROUP_MANAGER, None)
INSPECTOR = Principal(2, "li.inspector", Role.GROUP_MANAGER, None)
SMELT_REPORTER = Principal(3, "wang.smelt", Role.REPORTER, frozenset({"SMELT"}))
AUDITOR = Principal(4, "zhao.audit", Role.AUDITOR, None)


def png_bytes(colour: str = "green", size: tuple[int, int] = (40, 30)) -> bytes:
    """A small PNG image, as a photo of the corrected condition would be."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def hazard_fields(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": "Guard rail missing at the leaching tank platform",
        "severity": "general",
        "found_on": "2024-06-03",
        "found_by": "li.inspector",
        "inspection": "routine",
        "owner": "wang.smelt",
        "deadline": "2024-06-10",
    }
    fields.update(changes)
    return fields
