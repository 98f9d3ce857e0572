"""The per-figure table of a reproduction check: published, engine, verdict, place in the report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from esgledger.calc.published import Reproduction, Status

if TYPE_CHECKING:  # the catalog loads pint: only for type hints, so --help stays light
    from esgledger.catalog.registry import Catalog

_STYLE = {Status.REPRODUCED: "green", Status.DIFFERS: "red", Status.NOT_COMPUTED: "yellow"}


def reproduction_table(reproductions: Sequence[Reproduction], catalog: Catalog) -> Table:
    """One row per published figure; a difference is engine minus published, in its unit."""
    table = Table(title="Published figures against the engine's results")
    table.add_column("figure (scope, period)", overflow="fold", min_width=18, max_width=34)
    table.add_column("published", overflow="fold", justify="right", max_width=22)
    table.add_column("engine", justify="right", no_wrap=True)
    table.add_column("verdict", overflow="fold", min_width=12, max_width=34)
    table.add_column("in the report", overflow="fold", min_width=12, max_width=32)
    for item in reproductions:
        figure = item.figure
        name = catalog.get(figure.indicator).name("en") if figure.indicator else "(no indicator)"
        scope = "" if figure.scope == "group" else f"{figure.scope}, "
        table.add_row(
            escape(f"{name} ({scope}{figure.period})"),
            escape(f"{figure.printed} [{figure.unit}]"),
            _engine(item),
            f"[{_STYLE[item.status]}]{escape(_verdict(item))}[/]",
            escape(f"{figure.table or figure.section}, line {figure.line}"),
        )
    return table


def _engine(item: Reproduction) -> str:
    """The engine's value with one digit more than the figure's printed precision."""
    if item.engine is None:
        return ""
    digits = max(0, -item.figure.tolerance.normalize().as_tuple().exponent)
    return f"{item.engine:,.{digits}f}"


def _verdict(item: Reproduction) -> str:
    if item.status is Status.REPRODUCED:
        return "reproduced"
    if item.status is Status.DIFFERS:
        allowed = f"allowed ±{item.figure.tolerance}"
        return f"differs by {item.difference:+,.6g} {item.figure.unit} ({allowed})"
    return f"cannot be computed: {item.reason}"
