"""Configuration: one Settings object, read from ESGLEDGER_* variables and checked once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from esgledger.cli.main import main
from esgledger.ledger import checkpoint
from esgledger.ledger.database import database_url
from esgledger.ledger.imports.limits import ImportLimits, upload_limits
from esgledger.settings import Settings, SettingsError, load_settings

SOURCE = Path(__file__).resolve().parents[1] / "src" / "esgledger"
ENVIRONMENT = {"environ", "getenv", "putenv", "unsetenv"}


def reads_environment_for_esgledger(source: str) -> bool:
    """True when the module touches the process environment and names an ESGLEDGER_ variable.

    Both together, not the literal inside the call: a constant holding the name
    (``KEY = "ESGLEDGER_X"`` ... ``os.environ.get(KEY)``) is caught as well.
    """
    tree = ast.parse(source)
    touches = any(
        (isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT)
        or (isinstance(node, ast.alias) and node.name in ENVIRONMENT)
        for node in ast.walk(tree)
    )
    names = any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("ESGLEDGER_")
        for node in ast.walk(tree)
    )
    return touches and names


def test_no_module_but_settings_reads_esgledger_variables():
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name != "settings.py" or path.parent != SOURCE
        if reads_environment_for_esgledger(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        'import os\nURL = os.environ.get("ESGLEDGER_DB")',
        'import os\nKEY = "ESGLEDGER_AUDIT_KEY"\n\ndef key():\n    return os.getenv(KEY)',
        'from os import environ\nenviron["ESGLEDGER_DB"] = "sqlite://"',
    ],
    ids=["get", "through-a-constant", "write"],
)
def test_the_environment_check_catches_a_module_reading_a_variable(source):
    assert reads_environment_for_esgledger(source)
    assert not reads_environment_for_esgledger('import os\nHOME = os.environ["HOME"]')


def test_every_reader_takes_its_value_from_the_environment(monkeypatch):
    monkeypatch.setenv("ESGLEDGER_DB", "sqlite:///from-env.db")
    monkeypatch.setenv("ESGLEDGER_AUDIT_KEY", "vault")
    assert database_url() == "sqlite:///from-env.db"
    assert database_url("sqlite:///given.db") == "sqlite:///given.db"
    assert checkpoint.signing_key() == b"vault"


def test_a_bad_value_names_the_variable_and_what_it_takes(monkeypatch):
    monkeypatch.setenv("ESGLEDGER_SECURE_COOKIES", "maybe")
    monkeypatch.setenv("ESGLEDGER_IMPORT_MAX_ROWS", "0")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert "ESGLEDGER_SECURE_COOKIES is 'maybe', expected a valid boolean" in message
    assert "ESGLEDGER_IMPORT_MAX_ROWS is '0', expected greater than 0" in message


def test_a_list_variable_that_is_not_json_says_so(monkeypatch):
    monkeypatch.setenv("ESGLEDGER_FACTOR_FILES", "factors.yaml")
    with pytest.raises(SettingsError, match=r"ESGLEDGER_FACTOR_FILES .* expected a JSON list"):
        load_settings()


def test_a_bad_variable_reads_in_chinese(monkeypatch):
    monkeypatch.setenv("ESGLEDGER_FACTOR_FILES", "factors.yaml")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert raised.value.code == "setting.not_json_list"
    assert raised.value.render("zh") == (
        'ESGLEDGER_FACTOR_FILES 无法使用：应为 JSON 列表，如 ["factors/site.yaml"]。请更正该变量。'
    )
    monkeypatch.delenv("ESGLEDGER_FACTOR_FILES")
    monkeypatch.setenv("ESGLEDGER_IMPORT_MAX_ROWS", "0")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert raised.value.code == "setting.invalid"
    assert raised.value.render("zh").startswith("ESGLEDGER_IMPORT_MAX_ROWS 的值为 '0'，应为 ")
    assert raised.value.render("zh").endswith("。请更正该变量（或对应的命令选项）。")


def test_a_command_stops_on_a_bad_variable_with_a_message_not_a_traceback(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("ESGLEDGER_YOY_WARNING_PERCENT", "lots")
    assert main(["calc", "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    err = capsys.readouterr().err
    assert "ESGLEDGER_YOY_WARNING_PERCENT is 'lots'" in err and "Traceback" not in err


def test_the_time_zone_is_an_iana_name_and_a_typo_gets_a_suggestion(monkeypatch):
    assert Settings().timezone == "Asia/Shanghai"
    monkeypatch.setenv("ESGLEDGER_TIMEZONE", "Europe/Paris")
    assert load_settings().timezone == "Europe/Paris"
    monkeypatch.setenv("ESGLEDGER_TIMEZONE", "Asia/Shangai")
    with pytest.raises(SettingsError, match=r"IANA time zone .*did you mean Asia/Shanghai\?"):
        load_settings()


def test_options_given_to_load_settings_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("ESGLEDGER_DB", "sqlite:///from-env.db")
    assert load_settings(db="sqlite:///option.db").db == "sqlite:///option.db"


def test_upload_limits_default_to_the_import_limits_and_follow_the_settings():
    assert upload_limits(Settings()) == ImportLimits()
    assert upload_limits(Settings(import_max_rows=7)).max_rows == 7
