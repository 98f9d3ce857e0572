"""esgledger's own calculation methods and method sets, registered as a plugin.

The engine registers this module with the plugin manager before it first asks for
methods or method sets, so the shipped ones come through the same hooks as a company's.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from esgledger.engine.methods import combustion, energy, heat, process, scope2, scope3, trends
from esgledger.engine.registry import Method, methods_in
from esgledger.plugins import hookimpl


@hookimpl
def esgledger_methods() -> list[Method]:
    declared = methods_in(combustion, energy, heat, process, scope2, trends)
    return [*declared, *scope3.CATEGORY_METHODS]


@hookimpl
def esgledger_method_sets() -> list[Path]:
    return [Path(str(files("esgledger.engine") / "data" / "method_sets.yaml"))]
