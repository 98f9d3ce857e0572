"""`esgledger user`: tokens revoked, users deactivated, passwords reset, the last admin kept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import FAST_HASHER

from esgledger.auth import passwords
from esgledger.cli.main import main
from esgledger.settings import Settings
from esgledger.web.app import create_app

PASSWORD = "tractor lantern oyster"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", FAST_HASHER)


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    assert main(["init", "--db", url, "--years", "2024"]) == 0
    for name, role in (("root", "admin"), ("lin", "group-manager")):
        assert main(["user", "add", name, "--role", role, "--password", PASSWORD, "--db", url]) == 0
    return url


def as_user(db: str, token: str) -> TestClient:
    client = TestClient(create_app(Settings(db=db, secure_cookies=False)))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def created_token(db: str, username: str, capsys) -> str:
    capsys.readouterr()
    assert main(["user", "token", "create", username, "--name", "etl", "--db", db]) == 0
    return capsys.readouterr().out.strip()


def test_a_token_is_created_listed_and_revoked(db, capsys):
    token = created_token(db, "lin", capsys)
    assert as_user(db, token).get("/api/v1/me").status_code == 200
    assert main(["user", "token", "list", "lin", "--db", db]) == 0
    assert "etl" in capsys.readouterr().out
    assert main(["user", "token", "revoke", "lin", "1", "--db", db, "--author", "ops"]) == 0
    assert as_user(db, token).get("/api/v1/me").status_code == 401
    assert main(["user", "token", "revoke", "root", "1", "--db", db]) == 1
    assert "root has no API token 1" in capsys.readouterr().err


def test_a_deactivated_users_token_stops_at_once_and_works_again_after_activation(db, capsys):
    token = created_token(db, "lin", capsys)
    assert main(["user", "deactivate", "lin", "--db", db]) == 0
    assert as_user(db, token).get("/api/v1/me").status_code == 401
    assert main(["user", "list", "--db", db]) == 0
    assert "no" in capsys.readouterr().out
    assert main(["user", "activate", "lin", "--db", db]) == 0
    assert as_user(db, token).get("/api/v1/me").status_code == 200


def test_the_last_admin_cannot_be_demoted_or_deactivated(db, capsys):
    assert main(["user", "grant", "root", "--role", "auditor", "--db", db]) == 1
    assert "last active administrator" in capsys.readouterr().err
    assert main(["user", "deactivate", "root", "--db", db]) == 1
    assert "Make another user admin first" in capsys.readouterr().err
    assert main(["user", "grant", "lin", "--role", "admin", "--db", db]) == 0
    assert main(["user", "deactivate", "root", "--db", db]) == 0


def test_an_admin_resets_a_password_under_the_policy(db, capsys):
    client = TestClient(create_app(Settings(db=db, secure_cookies=False)))
    assert main(["user", "password", "lin", "--password", "password", "--db", db]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(["user", "password", "lin", "--password", "quarry violet kettle", "--db", db]) == 0
    login = {"username": "lin", "password": "quarry violet kettle"}
    assert client.post("/api/v1/login", json=login).status_code == 200


def test_account_changes_are_audited_and_the_chain_verifies(db, capsys):
    created_token(db, "lin", capsys)
    for command in (
        ["user", "token", "revoke", "lin", "1"],
        ["user", "deactivate", "lin"],
        ["user", "activate", "lin"],
        ["user", "password", "lin", "--password", "quarry violet kettle"],
    ):
        assert main([*command, "--db", db, "--author", "ops"]) == 0
    capsys.readouterr()
    assert main(["audit", "log", "--db", db]) == 0
    shown = capsys.readouterr().out
    for action in ("token.revoke", "user.deactivate", "user.activate", "user.password-reset"):
        assert action in shown
    assert "quarry" not in shown
    assert main(["audit", "verify", "--db", db]) == 0


def test_a_weak_password_for_a_new_user_is_refused_with_the_reason(db, capsys):
    spaces = " " * 8
    assert main(["user", "add", "x", "--role", "auditor", "--password", spaces, "--db", db]) == 1
    assert "blank or only spaces" in capsys.readouterr().err
