"""esgledger's own catalog files, registered as a plugin like a company's indicators."""

from __future__ import annotations

from pathlib import Path

from esgledger.catalog.loader import shipped_files
from esgledger.plugins import hookimpl


@hookimpl
def esgledger_catalog_files() -> list[Path]:
    return shipped_files()
