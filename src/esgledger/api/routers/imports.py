"""File imports: upload a CSV or XLSX (long layout or the template) into the ledger.

Access: admins, group managers and reporters; auditors get 403. A reporter's file may only
hold rows of its own entities: any other entity in the file is a 404 (the same answer as
for a code that does not exist), given before anything is written. A file with problems
is a 422 listing every bad row, and nothing of it is imported.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated

import polars as pl
from fastapi import APIRouter, File, Form, UploadFile

from esgledger.api.deps import SessionDep, Writer
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import SavePublic, error_responses
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError
from esgledger.ledger.imports.apply import import_rows
from esgledger.ledger.imports.reader import ImportFileError, RawTable, read_table

router = APIRouter(tags=["imports"])
CHUNK = 1 << 20


@router.post(
    "/imports",
    response_model=SavePublic,
    responses=error_responses(400, 403, 404),
    summary="Import a CSV or XLSX file",
)
def import_upload(
    file: Annotated[UploadFile, File(description="A .csv (UTF-8, long layout) or .xlsx file")],
    principal: Writer,
    session: SessionDep,
    catalog: CatalogDep,
    submit: Annotated[bool, Form(description="Submit the rows for review at once")] = False,
) -> SavePublic:
    """Check the whole file, then write the rows that differ from the ledger, or nothing.

    The answer says how many rows were read, how many became new revisions and how many
    already held the same value (a re-imported file adds nothing). The file is kept only
    while it is read; its name and SHA-256 are recorded on the changeset.
    """
    name = _safe_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="esgledger-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            while chunk := file.file.read(CHUNK):
                out.write(chunk)
        table = _read(path, folder)
    _require_own_rows(principal, table)
    result = import_rows(session, table, principal.username, catalog, submit=submit, where=name)
    return SavePublic.of(result, submit)


def _safe_name(filename: str | None) -> str:
    """The upload's base name: no directories, nothing hidden, never empty."""
    name = PurePath((filename or "").replace("\\", "/")).name.lstrip(".")
    return name[:200] or "upload.csv"


def _read(path: Path, folder: str) -> RawTable:
    try:
        return read_table(path)
    except ImportFileError as exc:  # say "data.csv: ...", not where the server kept it
        raise ImportFileError(str(exc).replace(folder + "/", "")) from None


def _require_own_rows(principal: Principal, table: RawTable) -> None:
    if principal.entities is None:
        return
    foreign = (
        table.frame.filter(
            pl.col("entity").is_not_null() & ~pl.col("entity").is_in(sorted(principal.entities))
        )
        .group_by("entity")
        .agg(pl.col("row").head(5), pl.len().alias("count"))
        .sort("entity")
    )
    if foreign.height:
        listed = "; ".join(
            f"{code} (row {', '.join(map(str, rows))}{', ...' if count > 5 else ''})"
            for code, rows, count in foreign.iter_rows()
        )
        raise NotFoundError(
            f"{table.name}: no entity among yours for {listed}; "
            "import only the entities you report for"
        )
