"""Record the terminal images of the user guide from the real commands on the demo ledger.

Each command runs as a user would run it, with colour forced on; its output is read back
through Rich (ANSI to text) and saved as SVG in docs/img/. Run it after `make demo`, from
the project folder, whenever the output of these commands changes:

    .venv/bin/python docs/screenshots.py

The browser screenshots of the web pages are taken by the browser tests instead
(ESGLEDGER_SCREENSHOTS=1, see tests/web/test_browser.py).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "img"
LEDGER = ROOT / "demo" / "esgledger-demo.db"
DB = ["--db", "sqlite:///demo/esgledger-demo.db"]
FACTORS = ["--factors", "demo/demo_factors.yaml"]
WIDTH = 110  # columns: the width of a comfortable terminal, and of the guide's page

SHOTS: dict[str, list[str]] = {
    "org-show": ["org", "show", *DB],
    "history": [
        "observations",
        "history",
        "SMELT",
        "2024-03",
        "energy.purchased_electricity",
        *DB,
    ],
    "calc": ["calc", *DB, *FACTORS],
    "explain": [
        "explain",
        "ghg.scope2_location",
        "--entity",
        "SMELT",
        "--period",
        "2024",
        *DB,
        *FACTORS,
    ],
}


def record(name: str, args: list[str]) -> Path:
    """Run ``esgledger args`` and save what it printed as docs/img/<name>.svg."""
    command = [str(Path(sys.executable).with_name("esgledger")), *args]
    environment = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": str(WIDTH), "TERM": "xterm"}
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"esgledger {' '.join(args)} failed:\n{done.stderr}")
    text = Text.from_ansi(done.stdout.rstrip("\n"))
    width = max(WIDTH, *(len(line) for line in text.plain.splitlines()))
    console = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor")
    console.print(text)
    path = IMAGES / f"{name}.svg"
    console.save_svg(str(path), title=f"esgledger {' '.join(a for a in args if a not in DB)}")
    return path


def main() -> None:
    if not LEDGER.is_file():
        raise SystemExit(f"no demo ledger at {LEDGER}; run `make demo` first")
    for name, args in SHOTS.items():
        print(f"wrote {record(name, args).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
