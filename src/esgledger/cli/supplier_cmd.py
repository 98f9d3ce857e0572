"""`esgledger supplier ...`: the supplier register's classes, questionnaire links and the
supplier-specific Scope 3 figures, from the command line.

The command acts as its author (``--author``, the ``user`` setting), with full access.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from esgledger.cli.common import DbOption, author_name, console, ledger_session, print_table
from esgledger.cli.words import Words

app = typer.Typer(
    help="Suppliers: classes, questionnaire links, Scope 3 data.", no_args_is_help=True
)
AuthorOption = Annotated[str | None, typer.Option("--author", help="Who makes the change")]
YearOption = Annotated[int, typer.Option("--year", help="Reporting year")]
LINK_DAYS = 30


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="supplier")


@app.command("list")
def list_command(year: YearOption, db: DbOption = None) -> None:
    """The register with admission decisions, the year's classes and their movement."""
    from esgledger.suppliers.summary import overview

    words = Words()
    heads = ("code", "name", "category", "admission", "decision", "score", "class", "last_year",
             "movement")  # fmt: skip
    table = Table(*(words(f"cli.suppliers.{head}") for head in heads))
    with ledger_session(db) as session:
        for r in overview(session, year):
            e = r.evaluation
            table.add_row(
                r.supplier.code, r.supplier.name(words.lang), r.supplier.category,
                _num(r.admission_score), r.decision or "-", _num(e.score if e else None),
                e.cls if e else "-", (e.previous_cls or "-") if e else "-",
                e.movement if e else "-",
            )  # fmt: skip
    print_table(table)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


@app.command("link")
def link_command(
    code: Annotated[str, typer.Argument(help="Supplier code")],
    kind: Annotated[str, typer.Option("--kind", help="admission, evaluation, footprint, spend")],
    year: YearOption,
    lang: Annotated[str, typer.Option("--lang", help="Language of the questionnaire")] = "zh",
    base: Annotated[
        str, typer.Option("--base", help="The server's address")
    ] = "http://localhost:8000",
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """A new questionnaire link (30 days, one answer) to send to the supplier."""
    from esgledger.settings import link_key, load_settings
    from esgledger.suppliers.questionnaires import issue_questionnaire

    key = link_key(load_settings())
    with ledger_session(db) as session:
        token, claims = issue_questionnaire(
            session, key, supplier=code, kind=kind, year=year, lang=lang,
            valid_for=timedelta(days=LINK_DAYS), now=datetime.now(UTC),
            actor=author_name(author),
        )  # fmt: skip
    console.print(f"{base.rstrip('/')}/q/{token}", soft_wrap=True)
    console.print(Words()("cli.suppliers.valid_until", expires=f"{claims.expires:%Y-%m-%d %H:%M}"))


@app.command("feed")
def feed_command(year: YearOption, author: AuthorOption = None, db: DbOption = None) -> None:
    """Write supplier-specific Scope 3 category 1 figures as draft values (per entity)."""
    from esgledger.catalog import load_catalog
    from esgledger.suppliers.scope3 import feed_scope3

    with ledger_session(db) as session:
        figures = feed_scope3(session, year, actor=author_name(author), catalog=load_catalog())
    words = Words()
    for f in figures:
        shown = words("cli.suppliers.figure", entity=f.entity, year=year, tco2e=f.tco2e,
                      spend=f.covered_spend)  # fmt: skip
        console.print(shown)
    console.print(words("cli.suppliers.fed", count=len(figures)))
