"""`esgledger demo` on a real ledger: the import round trip, then the engine's reproduction."""

from __future__ import annotations

import re

import pytest

from esgledger.cli.demo_cmd import _remove_sqlite_file
from esgledger.cli.main import main
from esgledger.errors import EsgError


def test_the_demo_prints_both_checks_under_their_own_names(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--db", url, "--out", str(tmp_path / "files"), "--details"]) == 0
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    trip = re.search(r"Import round trip: (\d+) of (\d+) group totals", out)
    assert trip and trip.group(1) == trip.group(2)
    check = re.search(r"(\d+) of (\d+) published figures reproduced by the engine", out)
    assert check and int(check.group(1)) >= 110 and int(check.group(2)) > int(check.group(1))
    assert "reproduced exactly" not in out  # the old name of the round trip
    # --details lists every figure with its verdict and its place in the report
    assert "Published figures against the engine's results" in out
    assert "cannot be computed" in out and "reproduced" in out
    assert "line 1725" in out  # fresh water per tREO of smelting and separation
    # the footprints it published on the PACT host and how the demo customer pulls them
    assert "Product footprints 2024 on the PACT v3 host" in out
    assert "Sintered NdFeB magnet" in out and "Lanthanum oxide" in out
    assert "client id pact_demo-magnet-customer" in out and "esgledger pact serve" in out
    assert "grant_type=client_credentials" in out


def test_the_demo_refuses_a_database_other_than_a_sqlite_file_in_chinese(tmp_path, capsys):
    url = "postgresql://esg@localhost/ledger"
    assert main(["--lang", "zh", "demo", "--db", url, "--out", str(tmp_path)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith(
        "错误：演示会新建一个 SQLite 台账（先删除该文件），不能用 postgresql 数据库"
    )
    assert "Traceback" not in err
    with pytest.raises(EsgError) as refused:
        _remove_sqlite_file(url)
    assert refused.value.code == "command.demo_not_sqlite"
    assert "--db sqlite:///some-file.db" in refused.value.render("zh")
