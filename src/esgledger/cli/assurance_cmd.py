"""`esgledger assurance ...`: list engagements, export an assurance package, verify one.

The export records itself in the ledger (register ``assurance.exports``, sealed in the
audit log), so the package's proof points at an entry of the group's own chain. The
command acts as an auditor named by ``--author`` (the ``user`` setting by default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words
from esgledger.errors import EsgError

app = typer.Typer(help="Assurance engagements and their packages.", no_args_is_help=True)
AuthorOption = Annotated[str | None, typer.Option("--author", help="The auditor exporting")]


class PackageBroken(EsgError):
    """An assurance package whose proof does not verify."""


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="assurance")


@app.command("list")
def list_command(db: DbOption = None) -> None:
    """The engagements: code, year, standard, level and scope size."""
    from esgledger.assurance.engagements import list_engagements

    with ledger_session(db) as session:
        for record in list_engagements(session):
            p = record.payload
            console.print(
                Words()(
                    "cli.assurance.line",
                    key=record.key,
                    year=p["year"],
                    standard=p["standard"],
                    level=p["level"],
                    entities=len(p["entities"]),
                    indicators=len(p["indicators"]),
                )
            )


@app.command("export")
def export_command(
    code: Annotated[str, typer.Argument(help="The engagement's code")],
    out: Annotated[Path, typer.Option("--out", help="The ZIP file to write")],
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Write the engagement's assurance package (values, lineage, evidence, audit, proof)."""
    from esgledger.assurance.package import build_package
    from esgledger.auth.roles import Role
    from esgledger.auth.service import Principal
    from esgledger.settings import files_folder, load_settings

    principal = Principal(0, author_name(author), Role.AUDITOR, None)
    with ledger_session(db) as session:
        data = build_package(session, principal, code, files_folder(load_settings()))
    out.write_bytes(data)
    console.print(Words()("cli.assurance.exported", out=out, size=len(data)))


@app.command("verify")
def verify_command(
    package: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The ZIP")],
) -> None:
    """Check a package as a third party would (the same as its verify_package.py)."""
    from esgledger.assurance.proof import verify_package

    problems = verify_package(package)
    if problems:
        raise PackageBroken.coded("command.package_broken", problems="\n".join(problems))
    console.print(Words()("cli.assurance.verified", package=package))
