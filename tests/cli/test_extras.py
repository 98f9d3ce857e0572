"""The core command line works without the optional extras, and names the extra it lacks.

Each check runs the real command in a fresh interpreter whose imports of the report and
web packages are refused (a ``sys.meta_path`` finder), as on an installation made with a
plain ``pip install esgledger``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.test_calc_cli import DATA, ORG

from esgledger.cli.extras import missing_extra

BLOCKED = ("weasyprint", "vl_convert", "altair", "fastapi", "jinja2", "pypdf", "uvicorn")
RUNNER = """
import json, sys

class WithoutExtras:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

BLOCKED = set(json.loads(sys.argv[1]))
sys.meta_path.insert(0, WithoutExtras())
from esgledger.cli.main import main

codes = [main(argv) for argv in json.loads(sys.argv[2])]
try:
    import altair
    codes.append("altair imported")
except ModuleNotFoundError:
    pass
print("EXIT CODES", json.dumps(codes))
"""


def run_without_extras(*commands: list[str]) -> tuple[list[int], str, str]:
    """Exit codes of ``commands`` run one after the other, and the process's stdout, stderr."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(BLOCKED), json.dumps(list(commands))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    codes = json.loads(done.stdout.split("EXIT CODES", 1)[1])
    return codes, done.stdout, done.stderr


def test_core_commands_run_without_the_report_and_web_extras(tmp_path: Path):
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'core.db'}"]
    codes, out, err = run_without_extras(
        ["--help"],
        ["init", "--years", "2023", *db],
        ["org", "load", str(tmp_path / "org.yaml"), *db],
        ["import", str(tmp_path / "data.csv"), "--submit", *db],
        ["approve", *db],
        ["calc", *db],
    )
    assert codes == [0] * 6, out + err
    assert "Usage" in out and "198.921" in out  # the help, and the group's energy in tce


def test_report_and_serve_say_which_extra_to_install(tmp_path: Path):
    db = ["--db", f"sqlite:///{tmp_path / 'none.db'}"]
    codes, _, err = run_without_extras(["report", "build", "--year", "2023", *db], ["serve", *db])
    assert codes == [1, 1]
    assert "`esgledger report build` needs the optional 'report' dependencies" in err
    assert "pip install 'esgledger[report]'" in err
    assert "`esgledger serve` needs the optional 'web' dependencies" in err
    assert "pip install 'esgledger[web]'" in err


def test_an_unchecked_import_of_an_extra_still_names_it(tmp_path: Path):
    """A command that forgot its check: the failed import is turned into the same hint."""
    from esgledger.cli.extras import extra_for

    missing = extra_for(ModuleNotFoundError("x", name="weasyprint.text"), "esgledger x")
    assert missing is not None and "pip install 'esgledger[report]'" in str(missing)
    assert extra_for(ModuleNotFoundError("x", name="no_such_thing"), "esgledger x") is None


def test_a_missing_extra_is_named_in_chinese():
    missing = missing_extra("esgledger serve", "web", ["fastapi", "uvicorn"])
    assert missing.code == "command.extra.missing"
    assert missing.message == (
        "`esgledger serve` needs the optional 'web' dependencies, and fastapi, uvicorn are not "
        "installed; install them with pip install 'esgledger[web]'"
    )
    assert missing.render("zh") == (
        "`esgledger serve` 需要可选依赖 'web'，但 fastapi, uvicorn 未安装；"
        "请用 pip install 'esgledger[web]' 安装"
    )
