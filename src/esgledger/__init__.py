"""esgledger: an ESG data ledger and carbon-accounting engine for industrial groups."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("esgledger")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
