"""`esgledger --help` starts without the heavy libraries: each command imports its own.

`--help` (and a typo's usage message) used to import the engine, the report's chart and
PDF stack and the spreadsheet writers, over 6 s on a loaded machine. This runs the real
command in a fresh interpreter with ``-X importtime`` and reads which modules it loaded.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

HEAVY = ("polars", "openpyxl", "numpy", "pint", "sqlalchemy", "pydantic_settings")
# the optional extras (cli/extras.py): `--help` works, and is quick, without them
EXTRAS = ("altair", "weasyprint", "vl_convert", "jinja2", "pypdf", "fastapi", "uvicorn")
IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$", re.MULTILINE)


def modules_imported_by(*argv: str) -> set[str]:
    """Top-level package names a fresh ``python -X importtime -m esgledger.cli.main`` loads."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "esgledger.cli.main", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Usage" in done.stdout, done.stdout + done.stderr
    return {name.split(".")[0] for name in IMPORTED.findall(done.stderr)}


@pytest.mark.parametrize(
    "argv", [["--help"], ["calc", "--help"], ["report", "build", "--help"]], ids=" ".join
)
def test_help_imports_none_of_the_heavy_libraries(argv):
    loaded = modules_imported_by(*argv)
    assert "esgledger" in loaded and "typer" in loaded  # the parse saw the imports at all
    assert not loaded & {*HEAVY, *EXTRAS}, sorted(loaded & {*HEAVY, *EXTRAS})


def test_the_check_sees_a_heavy_import_when_a_command_module_makes_one():
    """The guard itself: a command that imports polars at the top is caught."""
    loaded = modules_imported_by("--help") | {"esgledger"}
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import polars"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded |= {name.split(".")[0] for name in IMPORTED.findall(probe.stderr)}
    assert "polars" in loaded & set(HEAVY)
