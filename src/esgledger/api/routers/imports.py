"""File imports: upload a CSV or XLSX (long layout or the template) into the ledger.

Access: admins, group managers and reporters; auditors get 403. A reporter's file may only
hold rows of its own entities: any other entity in the file is a 404 (the same answer as
for a code that does not exist), given before anything is written. A file with problems
is a 422 listing its bad rows (the first hundred, and the others counted by kind), and
nothing of it is imported. A file over the server's import limits (size, rows, cells, an
XLSX unpacking too far) is a 413 naming the limit, given as soon as the limit is passed.
"""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, File, Form, UploadFile

from esgledger.api.deps import SessionDep, Writer
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import SavePublic, error_responses
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, Phrase
from esgledger.ledger.imports.apply import import_rows
from esgledger.ledger.imports.limits import upload_limits
from esgledger.ledger.imports.reader import RawTable, read_table
from esgledger.ledger.imports.upload import saved_upload

router = APIRouter(tags=["imports"])
SHOWN_ENTITIES = 10


@router.post(
    "/imports",
    response_model=SavePublic,
    responses=error_responses(400, 403, 404, 413),
    summary="Import a CSV or XLSX file",
)
def import_upload(
    file: Annotated[UploadFile, File(description="A .csv (UTF-8, long layout) or .xlsx file")],
    principal: Writer,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    submit: Annotated[bool, Form(description="Submit the rows for review at once")] = False,
) -> SavePublic:
    """Check the whole file, then write the rows that differ from the ledger, or nothing.

    The answer says how many rows were read, how many became new revisions and how many
    already held the same value (a re-imported file adds nothing). The file is kept only
    while it is read; its name and SHA-256 are recorded on the changeset.
    """
    limits = upload_limits(settings)
    with saved_upload(file.file, file.filename, limits) as path:
        table = read_table(path, limits=limits, name=path.name)
    require_own_rows(principal, table)
    result = import_rows(
        session, table, principal.username, catalog, submit=submit, where=table.name, limits=limits
    )
    return SavePublic.of(result, submit, session)


def require_own_rows(principal: Principal, table: RawTable) -> None:
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
        listed = [
            Phrase.of(
                "access.entity_rows",
                entity=code,
                rows=", ".join(map(str, rows)) + (", ..." if count > 5 else ""),
            )
            for code, rows, count in foreign.head(SHOWN_ENTITIES).iter_rows()
        ]
        if foreign.height > SHOWN_ENTITIES:
            listed.append(Phrase.of("access.more_entities", count=foreign.height - SHOWN_ENTITIES))
        raise NotFoundError.coded("access.not_yours", file=table.name, listed=listed)
