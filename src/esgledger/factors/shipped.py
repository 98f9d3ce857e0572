"""esgledger's own factor sets, registered as a plugin like a company's.

Every YAML file under ``factors/data`` is one dataset version; the loader registers this
module before it first asks the ``esgledger_factor_sets`` hook.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.factors.loader import DATA_DIR
from esgledger.plugins import hookimpl


@hookimpl
def esgledger_factor_sets() -> list[Path]:
    return sorted(DATA_DIR.rglob("*.yaml"))
