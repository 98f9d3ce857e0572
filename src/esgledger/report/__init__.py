"""The yearly disclosure report: performance tables, charts, methodology, index, data annex.

Built only from a ledger snapshot and the engine, in English and Chinese, as HTML, PDF and
XLSX; `verify_report` recomputes every printed number from the same snapshot.

The names below are imported on first use: the PDF worker (``python -m
esgledger.report.pdf``) imports this package too, and must not pay for the calculation
engine and the chart renderer it never uses.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "FORMATS": "build",
    "BuildResult": "build",
    "build_report": "build",
    "format_names": "build",
    "render_outputs": "build",
    "LANGUAGES": "config",
    "ReportConfig": "config",
    "load_config": "config",
    "ReportRequest": "prepare",
    "VerifyResult": "verify",
    "verify_report": "verify",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'esgledger.report' has no attribute {name!r}")
    return getattr(import_module(f"esgledger.report.{_EXPORTS[name]}"), name)
