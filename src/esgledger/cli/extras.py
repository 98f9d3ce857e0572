"""Optional dependencies: which commands need which extra, and the message when one is missing.

`pip install esgledger` installs the ledger, the engine and the command line. The report's
template, chart and PDF libraries (``esgledger[report]``) and the web server
(``esgledger[web]``) are extras, so a command needing one checks for it before any work and
names the extra to install, instead of failing with an ImportError half-way.
"""

from __future__ import annotations

import importlib.util

from esgledger.errors import EsgError

# import name -> distribution name, for each extra (pyproject.toml, optional-dependencies)
_REPORT = {
    "jinja2": "jinja2",
    "altair": "altair",
    "vl_convert": "vl-convert-python",
    "weasyprint": "weasyprint",
    "pypdf": "pypdf",
}
_WEB = {
    "fastapi": "fastapi",
    "fastapi_offline": "fastapi-offline",
    "uvicorn": "uvicorn",
    "multipart": "python-multipart",
}
EXTRAS = {"report": _REPORT, "web": {**_WEB, **_REPORT}}  # the web app has a report page
EXTRA_OF = {module: "report" for module in _REPORT} | {module: "web" for module in _WEB}


class MissingExtra(EsgError):
    """A command needs an optional dependency that is not installed."""


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # an import hook refusing it, a half-removed package
        return False


def require_extra(extra: str, command: str) -> None:
    """Refuse ``command`` at once when a package of ``extra`` is not installed.

    Raises:
        MissingExtra: naming the missing packages and the ``pip install`` that adds them.
    """
    missing = [package for module, package in EXTRAS[extra].items() if not _installed(module)]
    if missing:
        raise missing_extra(command, extra, missing)


def missing_extra(command: str, extra: str, packages: list[str]) -> MissingExtra:
    code = "command.extra.missing_one" if len(packages) == 1 else "command.extra.missing"
    return MissingExtra.coded(code, command=command, extra=extra, packages=", ".join(packages))


def extra_for(exc: ModuleNotFoundError, command: str) -> MissingExtra | None:
    """The message for an import of an extra's package that failed; None for any other."""
    module = (exc.name or "").split(".")[0]
    extra = EXTRA_OF.get(module)
    if extra is None:
        return None
    return missing_extra(command, extra, [EXTRAS[extra][module]])
