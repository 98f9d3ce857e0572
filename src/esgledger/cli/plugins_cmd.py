"""`esgledger plugins`: the installed plugins and what each adds to which seam.

esgledger's own parts are listed too (as ``esgledger.*.shipped``), since they come
through the same hooks; a company's plugin shows the package and version it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from esgledger.cli.common import console
from esgledger.cli.words import Words


def register(app: typer.Typer) -> None:
    app.command(name="plugins")(plugins)


def plugins() -> None:
    """List the installed plugins and the methods, catalog topics, layouts, report parts and
    factor sets each provides."""
    from esgledger.plugins import plugin_names

    provided = _provided()  # asks every seam first, so esgledger's own parts register
    words = Words()
    heads = ("plugin", "package", "seam", "provides")
    table = Table(*(words(f"cli.plugins.{head}") for head in heads))
    built_in = words("cli.plugins.built_in")
    for name, package in plugin_names():
        package = package or (built_in if name.startswith("esgledger.") else "")
        seams = provided.get(name, {})
        if not seams:
            table.add_row(name, package, words("cli.plugins.nothing"), "")
        for seam, names in seams.items():
            table.add_row(name, package, seam, ", ".join(sorted(names)))
            name = package = ""
    console.print(table)


def _provided() -> dict[str, dict[str, list[str]]]:
    """plugin → seam → names, over every seam."""
    found: dict[str, dict[str, list[str]]] = {}
    for seam, by_name in _seams().items():
        for item_name, plugin in by_name().items():
            found.setdefault(plugin, {}).setdefault(seam, []).append(item_name)
    return found


def _seams() -> dict[str, Callable[[], dict[str, str]]]:
    """Each seam as a function giving name → plugin."""
    from esgledger.catalog.loader import catalog_files
    from esgledger.engine.methodset import registered_method_sets
    from esgledger.engine.registry import methods
    from esgledger.factors import factor_set_plugins
    from esgledger.ledger.imports.layouts import layouts
    from esgledger.report.formats import report_formats
    from esgledger.report.sections import report_sections

    def plugins_of(collected: Callable[[], dict]) -> Callable[[], dict[str, str]]:
        return lambda: {name: provided.plugin for name, provided in collected().items()}

    def catalog_topics() -> dict[str, str]:
        return {Path(path).stem: provided.plugin for path, provided in catalog_files().items()}

    return {
        "calculation methods": plugins_of(methods),
        "method sets": plugins_of(registered_method_sets),
        "catalog topics": catalog_topics,
        "factor sets": factor_set_plugins,
        "import layouts": plugins_of(layouts),
        "report sections": plugins_of(report_sections),
        "report formats": plugins_of(report_formats),
    }
