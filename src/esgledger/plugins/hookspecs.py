"""The hooks a plugin can implement. Each returns a list of what it adds to one seam.

Every hook takes no arguments and returns declarations (objects or file paths); esgledger
checks them and keeps them per plugin, so a name claimed twice is refused with both
plugins named. The classes named below live in the layer that uses them; a plugin imports
them from there.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "esgledger"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def esgledger_methods() -> list[Any]:
    """Calculation methods (:class:`esgledger.engine.registry.Method`, made with the
    ``@method`` decorator) that a catalog entry names with ``method: NAME``."""


@hookspec
def esgledger_catalog_files() -> list[Any]:
    """Paths of indicator YAML files (the layout of ``catalog/data/*.yaml``; the file name
    is the topic): the indicators a plugin's methods compute, read with the shipped ones."""


@hookspec
def esgledger_method_sets() -> list[Any]:
    """Paths of method-set YAML files (the layout of ``engine/data/method_sets.yaml``)."""


@hookspec
def esgledger_factor_sets() -> list[Any]:
    """Paths of factor-set YAML files (the layout of ``factors/data``): new datasets that
    method sets and methods can name, read and cited like the shipped ones."""


@hookspec
def esgledger_import_layouts() -> list[Any]:
    """Import layouts (:class:`esgledger.ledger.imports.layouts.ImportLayout`) that
    ``esgledger import`` and the upload pages read."""


@hookspec
def esgledger_report_sections() -> list[Any]:
    """Report sections (:class:`esgledger.report.sections.ReportSection`): a template
    and its titles, placed after a named section of the report."""


@hookspec
def esgledger_report_formats() -> list[Any]:
    """Report output formats (:class:`esgledger.report.formats.ReportFormat`): a name,
    which is also the file suffix, and the function writing the file's bytes."""
