"""Collection templates and error files: the XLSX an entity fills in, and what a refused
file gets back.

``GET /templates/{entity}/{year}`` is the template of one entity and year: the indicators
it owes (the collection obligations), last year's values beside them, Excel validation on
units and numbers, headers and instructions in ``lang`` (``zh`` or ``en``). Anyone who may
see the entity may download it; a reporter gets 404 for the entities of others.
``POST /imports/error-file`` checks an uploaded file exactly as ``POST /imports`` does but
writes nothing: a file with problems comes back as its error file (the workbook with each
problem beside its row and a list sheet), a file without any is a 204.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Response, UploadFile
from sqlalchemy.orm import Session

from esgledger.api.deps import CurrentUser, SessionDep, Writer, require_entity
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.routers.imports import require_own_rows
from esgledger.api.schemas import error_responses
from esgledger.catalog.registry import Catalog
from esgledger.errors import NotFoundError
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.imports.apply import ImportRejected, check_rows
from esgledger.ledger.imports.limits import upload_limits
from esgledger.ledger.imports.reader import read_table
from esgledger.ledger.imports.upload import saved_upload
from esgledger.ledger.orgstore import load_org
from esgledger.org import Entity
from esgledger.workbooks.error_file import error_file_bytes
from esgledger.workbooks.last_year import last_year_values
from esgledger.workbooks.template import TemplateRequest, owed_indicators, template_bytes

router = APIRouter(tags=["imports"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Language = Literal["zh", "en"]


def owed_for(session: Session, catalog: Catalog, entity: str, year: int) -> list[str]:
    """The indicators ``entity`` owes for ``year``, as the collection obligations say."""
    try:
        from esgledger.collection.obligations import owed_for_entity
    except ImportError:  # until the obligations are merged: every input indicator
        return [indicator.id for indicator in catalog.inputs()]
    return owed_for_entity(session, catalog, entity, year)


def template_for(session: Session, catalog: Catalog, entity: Entity, year: int, lang: str) -> bytes:
    """The template of ``entity`` and ``year`` as XLSX bytes."""
    owed = owed_for(session, catalog, entity.code, year)
    last = last_year_values(session, entity.code, year - 1, owed_indicators(catalog, owed))
    return template_bytes(catalog, TemplateRequest(entity, year, owed, lang), last)


def template_name(entity: str, year: int, lang: str) -> str:
    return f"template-{entity}-{year}-{lang}.xlsx"


def error_file_name(upload: str) -> str:
    return f"{Path(upload).stem or 'upload'}-errors.xlsx"


def error_file_for(path: Path, name: str, exc: ImportRejected, lang: str) -> bytes:
    """The error file of the refused upload at ``path`` (shown to the user as ``name``)."""
    more = sum(exc.omitted.values())
    return error_file_bytes(path, name, exc.problems, more, lang)


def xlsx_response(content: bytes, filename: str) -> Response:
    """An XLSX download; the name quoted for any characters (RFC 6266 ``filename*``)."""
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})


@router.get(
    "/templates/{entity}/{year}",
    response_class=Response,
    responses={200: {"content": {XLSX_TYPE: {}}}, **error_responses(404)},
    summary="Download an entity's collection template",
)
def get_template(
    entity: str,
    year: int,
    principal: CurrentUser,
    session: SessionDep,
    catalog: CatalogDep,
    lang: Annotated[Language, Query(description="Headers and instructions in zh or en")] = "zh",
) -> Response:
    """The XLSX template: the owed indicators, last year's values, validation on the cells."""
    require_entity(principal, entity)
    if year not in reporting_years(session):
        raise NotFoundError.coded("template_file.year_closed", year=year)
    found = load_org(session).get(entity)
    return xlsx_response(
        template_for(session, catalog, found, year, lang), template_name(entity, year, lang)
    )


@router.post(
    "/imports/error-file",
    response_class=Response,
    responses={
        200: {"content": {XLSX_TYPE: {}}, "description": "The file's problems, beside its rows"},
        204: {"description": "The file has no problem; nothing was written either way"},
        **error_responses(400, 404, 413),
    },
    summary="Check a file and get its error file",
)
def post_error_file(
    file: Annotated[UploadFile, File(description="The .csv or .xlsx that was refused")],
    principal: Writer,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    lang: Annotated[Language, Query(description="The problems in zh or en")] = "zh",
) -> Response:
    """Check the file as an import would, write nothing, and return its error file."""
    limits = upload_limits(settings)
    with saved_upload(file.file, file.filename, limits) as path:
        table = read_table(path, limits=limits, name=path.name)
        require_own_rows(principal, table)
        try:
            check_rows(session, table, catalog, where=table.name, limits=limits)
        except ImportRejected as exc:
            content = error_file_for(path, table.name, exc, lang)
            return xlsx_response(content, error_file_name(table.name))
    return Response(status_code=204)
