"""Installed packages are found through the ``esgledger`` entry-point group."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from esgledger import plugins
from esgledger.cli.main import main
from esgledger.engine.registry import methods
from esgledger.errors import ErrorKind

PLUGIN_MODULE = """
from esgledger.engine.registry import method
from esgledger.plugins import hookimpl

@method("acme_ep.nothing", reads=(), formula="0")
def nothing(ctx):
    pass

@hookimpl
def esgledger_methods():
    return [nothing]
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable]:
    """``installed(module_name, source)``: a distribution with one esgledger entry point,
    as pip would leave it in site-packages."""

    def install(module: str, source: str) -> None:
        (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
        info = tmp_path / f"{module}-1.2.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.2\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[esgledger]\n{module} = {module}\n", encoding="utf-8"
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        plugins.reset()

    yield install
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith("acme_ep")]:
        del sys.modules[name]
    plugins.reset()


def test_an_installed_plugin_is_loaded_from_its_entry_point(installed):
    installed("acme_ep_methods", PLUGIN_MODULE)
    assert methods()["acme_ep.nothing"].plugin == "acme_ep_methods"
    assert ("acme_ep_methods", "acme_ep_methods 1.2") in plugins.plugin_names()


def test_esgledger_plugins_lists_the_plugin_its_package_and_what_it_provides(installed, capsys):
    installed("acme_ep_methods", PLUGIN_MODULE)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "acme_ep_methods" in line)
    assert "acme_ep_methods 1.2" in line and "calculation methods" in line
    assert "acme_ep.nothing" in line
    assert "esgledger.ledger.imports.shipped" in out and "long, workbook" in out


def test_a_plugin_that_fails_to_import_is_named_without_a_traceback(installed, capsys):
    installed("acme_ep_broken", "raise ImportError('needs acme-sdk>=2')\n")
    assert main(["plugins"]) == 1
    err = capsys.readouterr().err
    assert "the installed plugin 'acme_ep_broken' (acme_ep_broken) failed to load" in err
    assert "needs acme-sdk>=2" in err and "Traceback" not in err
    with pytest.raises(plugins.PluginError) as caught:
        methods()
    assert caught.value.kind is ErrorKind.USER
    assert caught.value.code == "plugin.load"
    assert main(["--lang", "zh", "plugins"]) == 1
    err = capsys.readouterr().err
    assert "错误：已安装的插件 'acme_ep_broken'（acme_ep_broken）加载失败：" in err
    assert "Traceback" not in err
