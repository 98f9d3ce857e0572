"""Collection templates and error files on the web: download an entity's template, and after
a refused upload the error file that shows each problem beside its row.

The template is built by the same function as ``GET /api/v1/templates/{entity}/{year}``,
in the page's language; the error file is made by the upload handler
(:func:`keep_upload_errors`) while the upload is still on disk, kept for its uploader only,
and fetched here by its token.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from esgledger.api.routers.templates import (
    error_file_for,
    error_file_name,
    template_for,
    template_name,
    xlsx_response,
)
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.calendar import reporting_years
from esgledger.ledger.imports.apply import ImportRejected
from esgledger.ledger.imports.upload import upload_name
from esgledger.settings import files_folder
from esgledger.web.access import entry_period, visible_entity
from esgledger.web.render import Env, PageEnv
from esgledger.workbooks.kept import keep_error_file, kept_error_file

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/entry/{entity}/{period}/template.xlsx", response_model=None)
def download_template(env: Env, entity: str, period: str) -> Response:
    """The collection template of the entity for the period's year, in the page's language."""
    found, year = visible_entity(env, entity), entry_period(period).year
    if year not in reporting_years(env.session):
        raise NotFoundError.coded("template_file.year_closed", year=year)
    content = template_for(env.session, env.catalog, found, year, env.lang)
    return xlsx_response(content, template_name(entity, year, env.lang))


@router.get("/import-errors/{token}.xlsx", response_model=None)
def download_error_file(env: Env, token: str, name: str = "") -> Response:
    """The error file of the user's refused upload; 404 for anyone else or once it is gone."""
    folder = files_folder(env.request.app.state.settings)
    content = kept_error_file(folder, env.principal.username, token) if env.principal else None
    if content is None:
        raise NotFoundError.coded("template_file.error_file_gone")
    shown = upload_name(name)
    return xlsx_response(content, shown if shown.endswith(".xlsx") else "errors.xlsx")


def keep_upload_errors(env: PageEnv, path: Path, name: str, exc: ImportRejected) -> str | None:
    """The link to the refused upload's error file, or None when it cannot be made.

    The problems are on the page either way: a workbook openpyxl cannot load for writing
    (though it could be read for checking) costs the download, not the answer.
    """
    try:
        content = error_file_for(path, name, exc, env.lang)
    except (EsgError, OSError, ValueError, KeyError, TypeError) as error:
        log.warning("no error file for %s: %s", name, error)
        return None
    folder = files_folder(env.request.app.state.settings)
    owner = env.principal.username if env.principal else ""
    token = keep_error_file(folder, owner, content)
    return f"/import-errors/{token}.xlsx?{urlencode({'name': error_file_name(name)})}"
