"""`esgledger report build` and `esgledger report verify`: the yearly disclosure report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    err_console,
    ledger_database,
)
from esgledger.cli.extras import require_extra
from esgledger.cli.words import Words
from esgledger.engine.method_names import DEFAULT_METHOD_SET
from esgledger.errors import EsgError

SHOWN_DIFFERENCES = 40

app = typer.Typer(
    help="The yearly ESG report: build it (HTML, PDF, XLSX annex) and verify its numbers.",
    no_args_is_help=True,
)

FactorsOption = Annotated[
    list[Path] | None,
    typer.Option("--factors", help="User factor file the calculation uses (repeatable)"),
]


def register(app_: typer.Typer) -> None:
    """Add the `report` group to the top-level command."""
    app_.add_typer(app, name="report")


def _choices(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    chosen = list(allowed) if text.strip() == "all" else [p.strip() for p in text.split(",")]
    chosen = [c for c in chosen if c]
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        raise EsgError.coded("export.choice", option=option, allowed=", ".join(allowed), text=text)
    return chosen


@app.command("build")
def build(
    year: Annotated[int, typer.Option("--year", help="The reporting year, e.g. 2024")],
    lang: Annotated[str, typer.Option("--lang", help="Languages: en, zh, en,zh or all")] = "all",
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="Formats: html, pdf, xlsx or a plugin's (comma-separated), or all"
        ),
    ] = "all",
    out: Annotated[Path, typer.Option("--out", help="Folder the files are written to")] = Path(
        "reports"
    ),
    factors: FactorsOption = None,
    snapshot: Annotated[
        int | None,
        typer.Option("--snapshot", help="Snapshot id (default: the approved values now)"),
    ] = None,
    methods: Annotated[
        str, typer.Option("--methods", help="The method set of the report")
    ] = DEFAULT_METHOD_SET,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Report layout YAML (see docs/report-templates.md)"),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Folder of templates overriding the shipped ones"),
    ] = None,
    targets: Annotated[
        Path | None,
        typer.Option("--targets", help="Targets file: a progress table and target paths"),
    ] = None,
    published: Annotated[
        Path | None,
        typer.Option(
            "--published",
            help="Figures of the published report the ledger models (CSV, as the demo's "
            "published_figures.csv): every other printed figure is marked M, modeled",
        ),
    ] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Build the report for one year from a ledger snapshot, in each language and format."""
    require_extra("report", "esgledger report build")
    from esgledger.catalog import load_catalog
    from esgledger.report import LANGUAGES, ReportRequest, build_report, format_names

    request = ReportRequest(
        year=year,
        snapshot_id=snapshot,
        method_set=methods,
        factor_files=tuple(factors or ()),
        author=author_name(author),
        targets_file=targets,
        published_file=published,
    )
    database = ledger_database(db)
    try:
        result = build_report(
            database,
            load_catalog(),
            request,
            out,
            langs=_choices(lang, LANGUAGES, "--lang"),
            formats=_choices(fmt, format_names(), "--format"),
            config_path=config,
            templates=templates,
        )
    finally:
        database.dispose()
    words = Words()
    for warning in result.warnings:
        label = words("cli.report.warning")
        err_console.print(f"[bold yellow]{label}[/] {escape(warning)}", highlight=False)
    for path in result.paths:
        console.print(words("cli.report.wrote", path=path), highlight=False)
    console.print(
        words(
            "cli.report.built",
            id=result.snapshot_id,
            sha256=result.snapshot_hash,
            seconds=result.seconds,
        ),
        highlight=False,
    )


@app.command("verify")
def verify(
    report: Annotated[Path, typer.Argument(help="The report's HTML, PDF or XLSX file")],
    factors: FactorsOption = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Layout YAML, if not where it was at build")
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Template folder, if not where it was at build"),
    ] = None,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Targets file, if not where it was at build")
    ] = None,
    published: Annotated[
        Path | None,
        typer.Option("--published", help="Published figures, if not where they were at build"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Rebuild a report from the ledger snapshot it names and compare everything it prints."""
    require_extra("report", "esgledger report verify")
    from esgledger.catalog import load_catalog
    from esgledger.report import verify_report
    from esgledger.report.inputs import BuildInputs

    database = ledger_database(db)
    try:
        inputs = BuildInputs(config, templates, targets, published)
        result = verify_report(database, load_catalog(), report, factors, inputs)
    finally:
        database.dispose()
    words = Words()
    for note in result.notes:
        label = words("cli.report.note")
        err_console.print(f"[bold yellow]{label}[/] {escape(note)}", highlight=False)
    head = result.snapshot_hash[:16]
    if result.ok:
        checked, units = result.checked, result.units
        console.print(
            words("cli.report.verified", report=report, checked=checked, units=units, sha256=head),
            highlight=False,
        )
        return
    count = len(result.differences)
    differences = escape(words("cli.report.differences", report=report, count=count))
    against = escape(words("cli.report.against", sha256=head))
    err_console.print(f"[bold red]{differences}[/]{against}", highlight=False)
    for line in result.differences[:SHOWN_DIFFERENCES]:
        err_console.print(f"  {escape(line)}", highlight=False)
    if len(result.differences) > SHOWN_DIFFERENCES:
        err_console.print(words("cli.report.more", count=count - SHOWN_DIFFERENCES))
    raise typer.Exit(code=1)
