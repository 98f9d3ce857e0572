"""What an evidence file may be: its type read from its bytes, its size within the limit.

The allowed types are a setting (``ESGLEDGER_EVIDENCE_TYPES``), written as media types or
as the short names below, so an administrator can say ``["pdf", "png"]``. A file is judged
by its content (:func:`esgledger.ledger.files.detected_type`), never by its name: a ZIP or
a program renamed ``invoice.pdf`` is refused as what it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from esgledger.errors import EsgError
from esgledger.ledger.files import detected_type

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT_NAMES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "xlsx": XLSX,
}
# How a type is named to people (in the error that lists what is allowed).
LABELS = {media: short.upper() for short, media in SHORT_NAMES.items() if short != "jpg"}


class EvidenceRefused(EsgError):
    """An evidence file that is empty, too large or not of an allowed type."""


def allowed_types(configured: Iterable[str]) -> frozenset[str]:
    """The media types a setting names (short names expanded); unknown names refused."""
    found = set()
    for name in configured:
        media = SHORT_NAMES.get(name.strip().lower(), name.strip().lower())
        if "/" not in media:
            raise EvidenceRefused.coded(
                "evidence_file.unknown_type", name=name, known=", ".join(sorted(SHORT_NAMES))
            )
        found.add(media)
    return frozenset(found)


def check_evidence(data: bytes, name: str, *, allowed: frozenset[str], max_bytes: int) -> str:
    """The file's media type by its content, when it may be kept as evidence."""
    if not data:
        raise EvidenceRefused.coded("evidence_file.empty", name=name)
    if len(data) > max_bytes:
        raise EvidenceRefused.coded(
            "evidence_file.too_large", name=name, size=_megabytes(len(data)),
            limit=_megabytes(max_bytes),
        )  # fmt: skip
    media_type = detected_type(data)
    if media_type not in allowed:
        raise EvidenceRefused.coded(
            "evidence_file.wrong_type",
            name=name,
            found=LABELS.get(media_type or "", media_type or "?"),
            allowed=", ".join(sorted(LABELS.get(t, t) for t in allowed)),
        )
    return media_type


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"
