"""esgledger's own method sets, registered as a plugin through the method-set hook.

Apart from :mod:`esgledger.engine.shipped` (the methods) because method sets sit in the
engine's lowest layer: loading them must not import the methods and their context.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from esgledger.plugins import hookimpl


@hookimpl
def esgledger_method_sets() -> list[Path]:
    return [Path(str(files("esgledger.engine") / "data" / "method_sets.yaml"))]
