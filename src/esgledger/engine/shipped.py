"""esgledger's own calculation methods, registered as a plugin.

The engine registers this module with the plugin manager before it first asks for
methods, so the shipped ones come through the same hook as a company's. The shipped
method sets are registered by :mod:`esgledger.engine.shipped_sets`, which method sets
(the engine's lowest layer) can load without importing the methods.
"""

from __future__ import annotations

from esgledger.engine.methods import combustion, energy, heat, process, scope2, scope3, trends
from esgledger.engine.registry import Method, methods_in
from esgledger.plugins import hookimpl


@hookimpl
def esgledger_methods() -> list[Method]:
    declared = methods_in(combustion, energy, heat, process, scope2, trends)
    return [*declared, *scope3.CATEGORY_METHODS]
