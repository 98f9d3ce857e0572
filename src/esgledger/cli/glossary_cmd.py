"""`esgledger glossary`: the terms, units and count words every output uses, and a check
of a text (a report draft, a translated page) against them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import console, err_console
from esgledger.cli.words import Words
from esgledger.errors import EsgError


def register(app: typer.Typer) -> None:
    app.command("glossary")(glossary)


def glossary(
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            help="A UTF-8 text or HTML file: list the forms it uses where the glossary "
            "writes another (exit code 1 when there are any)",
        ),
    ] = None,
) -> None:
    """Show the glossary (Chinese and English terms with their sources), or check a file."""
    from esgledger.glossary import load_glossary

    terms = load_glossary()
    if check is None:
        words = Words()
        table = Table(
            *(words(f"cli.glossary.{head}") for head in ("term", "zh", "source", "avoid"))
        )
        for term in terms.terms:
            table.add_row(
                term.en, term.zh, f"{term.source} [{term.confidence}]", "、".join(term.avoid)
            )
        console.print(table)
        return
    try:
        text = check.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise EsgError.coded(
            "command.glossary_unreadable", path=str(check), detail=detail
        ) from None
    misused = terms.misused_terms(text)
    for misuse in misused:
        err_console.print(f"{escape(str(check))}: {escape(str(misuse))}")
    if misused:
        raise typer.Exit(1)
    console.print(Words()("cli.glossary.clean", file=check))
