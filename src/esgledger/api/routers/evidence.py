"""Evidence files over HTTP (/api/v1/evidence): list, download, attach, detach.

The same rules as the pages (:mod:`esgledger.evidence.attach`): reporters attach, read and
detach only for their own entities, auditors read everything and write nothing; a file is
judged by its content and a download is re-hashed (a changed file is an error, not bytes).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.routers._state import SettingsDep
from esgledger.api.schemas import UtcDateTime, error_responses
from esgledger.evidence.attach import (
    Upload,
    attach_to_import,
    attach_to_value,
    detach,
    open_evidence,
)
from esgledger.evidence.links import EvidenceLink, entity_links
from esgledger.evidence.types import allowed_types
from esgledger.ledger.blobs import blob_store
from esgledger.settings import Settings

IMPORT_ID_MAX = 2**31 - 1  # an import is a changeset; its id is a 32-bit integer column
router = APIRouter(prefix="/evidence", tags=["evidence"], responses=error_responses(400, 404))


class EvidencePublic(BaseModel):
    key: str
    sha256: str
    name: str
    media_type: str
    size: int
    target: str
    entity: str | None
    period: str | None
    indicator: str | None
    revision_id: int | None
    import_id: str | None
    attached_by: str
    attached_at: UtcDateTime
    href: str

    @classmethod
    def of(cls, link: EvidenceLink) -> EvidencePublic:
        fields = {name: getattr(link, name) for name in cls.model_fields if name != "href"}
        return cls(**fields, href=f"/api/v1/evidence/file?key={quote(link.key, safe='')}")


class Detach(BaseModel):
    key: str
    reason: str | None = None


def upload_of(settings: Settings, sent: UploadFile) -> Upload:
    """The sent file read up to one byte past the limit (enough to refuse it as too large)."""
    return Upload(
        name=sent.filename or "file",
        data=sent.file.read(settings.file_max_bytes + 1),
        allowed=allowed_types(settings.evidence_types),
        max_bytes=settings.file_max_bytes,
    )


def disposition(name: str) -> dict[str, str]:
    """``attachment`` with an ASCII name for old clients and the UTF-8 name (RFC 6266)."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return {
        "Content-Disposition": f'attachment; filename="{plain}"; '
        f"filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": "private, no-store",
    }


@router.get("")
def list_evidence(
    session: SessionDep,
    principal: CurrentUser,
    entity: str | None = None,
    period: str | None = None,
    indicator: str | None = None,
    year: Annotated[str | None, Query(max_length=4)] = None,
) -> list[EvidencePublic]:
    """The current links the caller may see, filtered by entity, period, indicator, year."""
    scope = principal.entities
    entities = [entity] if entity else None
    if scope is not None:
        entities = [e for e in (entities or scope) if e in scope]
    links = [
        link
        for link in entity_links(session, entities)
        if (not period or link.period == period)
        and (not indicator or link.indicator == indicator)
        and (not year or (link.period or "").startswith(year))
    ]
    return [EvidencePublic.of(link) for link in links]


@router.get("/file", response_class=Response, responses={200: {"content": {"*/*": {}}}})
def download(
    session: SessionDep, principal: CurrentUser, settings: SettingsDep, key: str
) -> Response:
    """The file's bytes with its type and name, after re-hashing them."""
    link, info, data = open_evidence(session, blob_store(settings), principal, key)
    return Response(data, media_type=info.media_type, headers=disposition(link.name))


@router.post("/value", status_code=201)
def attach_value(
    session: SessionDep,
    principal: Writer,
    settings: SettingsDep,
    entity: Annotated[str, Form(max_length=64)],
    period: Annotated[str, Form(max_length=16)],
    indicator: Annotated[str, Form(max_length=120)],
    file: Annotated[UploadFile, File()],
) -> EvidencePublic:
    """Attach a file to a saved value (its current revision)."""
    link = attach_to_value(session, blob_store(settings), principal, upload_of(settings, file),
                           entity=entity, period=period, indicator=indicator)  # fmt: skip
    return EvidencePublic.of(link)


@router.post("/import/{import_id}", status_code=201)
def attach_import(
    session: SessionDep,
    principal: Writer,
    settings: SettingsDep,
    import_id: Annotated[int, Path(ge=1, le=IMPORT_ID_MAX)],
    file: Annotated[UploadFile, File()],
) -> list[EvidencePublic]:
    """Attach a file to an import: one link per entity it wrote."""
    links = attach_to_import(session, blob_store(settings), principal,
                             upload_of(settings, file), import_id=import_id)  # fmt: skip
    return [EvidencePublic.of(link) for link in links]


@router.post("/detach", status_code=204)
def remove(session: SessionDep, principal: Writer, body: Detach) -> Response:
    """Retire a link (the file and the link's history stay)."""
    detach(session, principal, body.key, body.reason)
    return Response(status_code=204)
