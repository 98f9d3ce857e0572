"""`esgledger serve`: its options become the application's Settings, passed, not exported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from esgledger.cli.serve_cmd import server_settings


def test_options_are_laid_over_the_environments_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("ESGLEDGER_TARGETS", "/srv/targets.yaml")
    monkeypatch.setenv("ESGLEDGER_SECURE_COOKIES", "false")
    monkeypatch.chdir(tmp_path)
    from_env = server_settings(None, None, False, None, None)
    assert from_env.targets == Path("/srv/targets.yaml") and from_env.secure_cookies is False
    given = server_settings(
        "sqlite:///x.db", [Path("f.yaml")], True, Path("t.yaml"), Path("scenarios")
    )
    assert given.db == "sqlite:///x.db"
    assert given.factor_files == [str(tmp_path / "f.yaml")]
    assert given.targets == tmp_path / "t.yaml" and given.scenarios == tmp_path / "scenarios"


def test_a_worker_unpickles_its_application_factory_without_the_web_stack():
    """uvicorn pickles the factory into each worker and unpickles it before the worker
    answers its health checks; importing FastAPI there took longer than uvicorn waits, and
    the workers were killed and restarted for ever."""
    probe = (
        "import pickle, sys\n"
        "from esgledger.cli.serve_cmd import Application\n"
        "from esgledger.settings import Settings\n"
        "data = pickle.dumps(Application(Settings(db='sqlite:///x.db')))\n"
        "for name in [m for m in sys.modules if m.startswith(('fastapi', 'esgledger.web'))]:\n"
        "    del sys.modules[name]\n"
        "factory = pickle.loads(data)\n"
        "assert factory.settings.db == 'sqlite:///x.db'\n"
        "print(sorted(m for m in sys.modules if m.startswith(('fastapi', 'esgledger.web'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout
