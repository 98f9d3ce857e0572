"""Evidence files: photos of a rectified hazard, a site plan, an invoice behind a number.

Files are content-addressed: the bytes are written once under their SHA-256
(``ab/cd/abcd...``) outside the database, in a folder (``settings.files_folder``) or an
S3-compatible bucket (:mod:`esgledger.ledger.blobs`; callers pass either), and a
``stored_files`` row, sealed by an audit entry, says what they are and who stored them.
Storing the same bytes twice keeps one copy. What a file *is* is read from its bytes
(``filetype``), never from its name, so a renamed executable is refused as what it is.
:func:`read_file` re-hashes the bytes, so a file changed on disk is reported, not served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import filetype
from sqlalchemy.orm import Session

from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger import audit
from esgledger.ledger.blobs import BlobMissing, BlobStore, FolderBlobs
from esgledger.ledger.database import utcnow
from esgledger.ledger.schema import StoredFile

# What evidence may be, by the type its bytes show.
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


# What a built report may be (jobs/kinds/report.py keeps report builds as stored files).
REPORT_TYPES = frozenset(
    {
        "application/pdf",
        "text/html",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
HTML_STARTS = (b"<!doctype html", b"<html")


class FileRefused(EsgError):
    """A file that is not of an allowed type, or too large."""


@dataclass(frozen=True)
class FileInfo:
    sha256: str
    size: int
    media_type: str
    name: str


def detected_type(data: bytes) -> str | None:
    """The media type the bytes show (their magic number), or None when unknown."""
    kind = filetype.guess(data)
    if kind:
        return kind.mime
    # filetype knows no text formats; an HTML document says what it is in its first bytes
    return "text/html" if data[:64].lstrip().lower().startswith(HTML_STARTS) else None


def check_file(data: bytes, name: str, *, allowed: Collection[str], max_bytes: int) -> str:
    """The file's media type, when it is of an allowed type and within the size limit."""
    if len(data) > max_bytes:
        raise FileRefused(
            f"{name} is {len(data):,} bytes, over the limit of {max_bytes:,}; "
            "send a smaller file (a photo at a lower resolution, a PDF of the pages that matter)",
            code="files.too_large",
            params={"name": name, "size": len(data), "limit": max_bytes},
        )
    media_type = detected_type(data)
    if media_type not in allowed:
        shown = media_type or "not a known file type"
        raise FileRefused(
            f"{name} is {shown} by its content; expected one of {', '.join(sorted(allowed))}",
            code="files.wrong_type",
            params={"name": name, "found": shown, "allowed": ", ".join(sorted(allowed))},
        )
    return media_type


def store_file(
    session: Session,
    root: Path | BlobStore,
    data: bytes,
    *,
    name: str,
    actor: str,
    max_bytes: int,
    allowed: Collection[str] = EVIDENCE_TYPES,
) -> FileInfo:
    """Check and keep ``data``; the same bytes stored again return the first copy's record.

    The bytes are on disk before the row is flushed, so a committed row always has its
    file; a rolled-back transaction may leave an unreferenced file, which is harmless.
    """
    media_type = check_file(data, name, allowed=allowed, max_bytes=max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    existing = session.get(StoredFile, digest)
    if existing is not None:
        return FileInfo(digest, existing.size, existing.media_type, existing.name)
    as_store(root).put(digest, data)
    row = StoredFile(
        sha256=digest,
        size=len(data),
        media_type=media_type,
        name=name,
        stored_at=utcnow(),
        stored_by=actor,
    )
    session.add(row)
    audit.record(session, actor, "file.store", {"sha256": digest, "name": name})
    return FileInfo(digest, len(data), media_type, name)


def read_file(session: Session, root: Path | BlobStore, sha256: str) -> tuple[FileInfo, bytes]:
    """A stored file's record and bytes, after checking the bytes still hash to its name."""
    row = session.get(StoredFile, sha256)
    if row is None:
        raise NotFoundError.coded("database.no_stored_file", sha256=sha256)
    store = as_store(root)
    try:
        data = store.get(sha256)
    except BlobMissing:
        raise EsgError.coded(
            "stored_file.missing", name=row.name, sha256=sha256, where=store.where()
        ) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise EsgError.coded("stored_file.changed", name=row.name, sha256=sha256)
    return FileInfo(sha256, row.size, row.media_type, row.name), data


def file_path(root: Path, sha256: str) -> Path:
    return FolderBlobs(root).path(sha256)


def as_store(root: Path | BlobStore) -> BlobStore:
    """A folder given as a path is the folder store; any other store is used as it is."""
    return FolderBlobs(root) if isinstance(root, (str, Path)) else root
