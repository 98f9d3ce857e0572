"""`esgledger materiality`: the topic list as XLSX, survey links, scores and the matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words

app = typer.Typer(help="Double materiality: topics, survey links, scores.", no_args_is_help=True)
topics_app = typer.Typer(help="The topic list of a year, as XLSX.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")

YearOption = Annotated[int, typer.Option("--year", help="The assessment's year, e.g. 2024")]
LangOption = Annotated[str, typer.Option(help="en or zh")]
# the language of what a command prints: the one before the command (--lang) when not given
ShownLangOption = Annotated[
    str | None, typer.Option(help="en or zh (default: the language before the command)")
]


@topics_app.command("export")
def topics_export(
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="The workbook to write")],
    db: DbOption = None,
) -> None:
    """Write the year's topics to XLSX (SSE No.14's 21 topics when the year has none yet)."""
    from esgledger.materiality.model import sse14_topics
    from esgledger.materiality.topics import export_topics, year_topics

    with ledger_session(db) as session:
        topics = year_topics(session, year) or sse14_topics()
    out.write_bytes(export_topics(topics))
    console.print(Words()("cli.materiality.exported", out=out, count=len(topics), year=year))


@topics_app.command("import")
def topics_import(
    file: Annotated[Path, typer.Argument(help="A workbook as `topics export` writes it")],
    year: YearOption,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Make the workbook's topics the year's list (all rows or none)."""
    from esgledger.materiality.topics import import_topics, save_topics

    topics = import_topics(file.read_bytes(), file.name)
    with ledger_session(db) as session:
        written = save_topics(session, year, topics, actor=author_name(author))
    count = len(topics)
    shown = Words()(
        "cli.materiality.imported", file=file.name, count=count, year=year, written=written
    )
    console.print(shown)


@app.command("links")
def links(
    year: YearOption,
    group: Annotated[str, typer.Option(help="Stakeholder group, e.g. employees, suppliers")],
    count: Annotated[int, typer.Option(help="How many links")] = 1,
    lang: LangOption = "zh",
    days: Annotated[int, typer.Option(help="Days each link may be answered")] = 30,
    base_url: Annotated[str, typer.Option(help="The server's address")] = "",
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Issue one-use survey links for a stakeholder group (needs ESGLEDGER_LINK_KEY)."""
    from esgledger.materiality.survey import issue_survey_links
    from esgledger.settings import link_key, load_settings

    key = link_key(load_settings())
    with ledger_session(db) as session:
        tokens = issue_survey_links(
            session, key, year=year, group=group, count=count, lang=lang,
            valid_for=timedelta(days=days), now=datetime.now(UTC), actor=author_name(author),
        )  # fmt: skip
    for token in tokens:
        print(f"{base_url.rstrip('/')}/s/{token}")


@app.command("score")
def score(year: YearOption, db: DbOption = None, lang: ShownLangOption = None) -> None:
    """Print each topic's impact and financial score, tier and movement since last year."""
    from esgledger.materiality.summary import assessment

    words = Words(lang)
    with ledger_session(db) as session:
        result = assessment(session, year, words.lang)
    table = Table(title=words("cli.materiality.title", year=year, responses=result.responses))
    for column in (
        "number", "topic", "impact", "financial", "tier", "impact_change", "financial_change"
    ):  # fmt: skip
        table.add_column(words(f"cli.materiality.{column}"))
    for row in result.rows:
        table.add_row(
            str(row["number"]), row["name"], _num(row["impact"]), _num(row["financial"]),
            row["tier_name"], _num(row["impact_change"], "+"), _num(row["financial_change"], "+"),
        )  # fmt: skip
    console.print(table)
    for group in result.groups:
        rate = f"{group['rate']:.0%}" if group["rate"] is not None else "—"
        console.print(words("cli.materiality.answered", **{**group, "rate": rate}))


def _num(value: float | None, sign: str = "") -> str:
    return "—" if value is None else f"{value:{sign}.2f}"


@app.command("matrix")
def matrix(
    year: YearOption,
    out: Annotated[Path, typer.Option("--out", help="The SVG file to write")],
    db: DbOption = None,
    lang: ShownLangOption = None,
) -> None:
    """Draw the year's double-materiality matrix as SVG."""
    from esgledger.materiality.summary import assessment

    words = Words(lang)
    with ledger_session(db) as session:
        result = assessment(session, year, words.lang)
    out.write_text(result.svg, encoding="utf-8")
    material, total = len(result.material), len(result.rows)
    console.print(words("cli.materiality.matrix", out=out, material=material, total=total))
