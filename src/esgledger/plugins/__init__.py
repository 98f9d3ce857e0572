"""Plugin seams: how a company adds a calculation method, an import layout, a report section
or output format, or a factor set without forking esgledger.

A plugin is a module (or object) with functions marked ``@hookimpl`` and named after the
hooks of :mod:`esgledger.plugins.hookspecs`. An installed package registers one under the
``esgledger`` entry-point group; esgledger's own methods, layouts, sections, formats and
factor sets are registered the same way, so the shipped ones are simply the first plugins.
"""

from __future__ import annotations

from esgledger.plugins.errors import PluginError, plugin_failures
from esgledger.plugins.hookspecs import hookimpl
from esgledger.plugins.manager import (
    Provided,
    claim,
    collect,
    derived,
    plugin_names,
    register,
    reset,
    unregister,
)

__all__ = [
    "PluginError",
    "Provided",
    "claim",
    "collect",
    "derived",
    "hookimpl",
    "plugin_failures",
    "plugin_names",
    "register",
    "reset",
    "unregister",
]
