"""The per-figure table of a reproduction check: published, engine, verdict, place in the report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from esgledger.calc.published import Reproduction, Status
from esgledger.cli.words import Words

if TYPE_CHECKING:  # the catalog loads pint: only for type hints, so --help stays light
    from esgledger.catalog.registry import Catalog

_STYLE = {Status.REPRODUCED: "green", Status.DIFFERS: "red", Status.NOT_COMPUTED: "yellow"}


def reproduction_table(reproductions: Sequence[Reproduction], catalog: Catalog) -> Table:
    """One row per published figure; a difference is engine minus published, in its unit."""
    words = Words()
    table = Table(title=words("cli.published.title"))
    table.add_column(words("cli.published.figure"), overflow="fold", min_width=18, max_width=34)
    table.add_column(
        words("cli.published.published"), overflow="fold", justify="right", max_width=22
    )
    table.add_column(words("cli.published.engine"), justify="right", no_wrap=True)
    table.add_column(words("cli.published.verdict"), overflow="fold", min_width=12, max_width=34)
    table.add_column(words("cli.published.place"), overflow="fold", min_width=12, max_width=32)
    for item in reproductions:
        figure = item.figure
        if figure.indicator:
            name = words.name(catalog.get(figure.indicator))
        else:
            name = words("cli.published.no_indicator")
        scope = "" if figure.scope == "group" else words("cli.published.scope", scope=figure.scope)
        unit = words.unit(figure.unit, figure.indicator or None)
        where = figure.table or figure.section
        table.add_row(
            escape(words("cli.published.name", name=name, scope=scope, period=figure.period)),
            escape(f"{figure.printed} [{unit}]"),
            _engine(item),
            f"[{_STYLE[item.status]}]{escape(_verdict(item, words))}[/]",
            escape(words("cli.published.where", where=where, line=figure.line)),
        )
    return table


def _engine(item: Reproduction) -> str:
    """The engine's value with one digit more than the figure's printed precision."""
    if item.engine is None:
        return ""
    digits = max(0, -item.figure.tolerance.normalize().as_tuple().exponent)
    return f"{item.engine:,.{digits}f}"


def _verdict(item: Reproduction, words: Words) -> str:
    if item.status is Status.REPRODUCED:
        return words("cli.published.reproduced")
    if item.status is Status.DIFFERS:
        return words(
            "cli.published.differs",
            difference=item.difference,
            unit=words.unit(item.figure.unit, item.figure.indicator or None),
            tolerance=item.figure.tolerance,
        )
    return words("cli.published.not_computed", reason=item.reason)
