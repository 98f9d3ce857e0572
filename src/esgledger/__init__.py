"""esgledger: an ESG data ledger and carbon-accounting engine for industrial groups."""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    # importlib.metadata costs a third of a second on a loaded machine: read it on first use
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("esgledger")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """``esgledger.__version__``, looked up when something asks for it."""
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'esgledger' has no attribute {name!r}")
