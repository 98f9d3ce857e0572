"""Parallel clients against the real server, on SQLite and PostgreSQL.

Each trial releases its requests together (a barrier) on connections opened beforehand.
Afterwards the database itself is asked whether any observation's history forked. Also:
a write is visible to the very next request (the unit of work commits before answering).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from esgledger.auth import credentials, service
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.orgstore import save_entities
from tests.api.conftest import PASSWORD, REO, USERS
from tests.api.live_server import LiveServer, serving, together
from tests.conftest import _PG_SKIP, PG_URL, SMALL_GROUP

TRIALS = 20
KEY = {"entity": "SMELT", "period": "2024", "indicator": REO}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(
    request: pytest.FixtureRequest, tmp_path: Path, template_ledger
) -> Iterator[tuple[LiveServer, str]]:
    """The served application and its database URL (a SQLite file or a PostgreSQL schema)."""
    if request.param == "sqlite":
        template, tokens = template_ledger
        shutil.copyfile(template, tmp_path / "ledger.db")
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
        with serving(url, tokens) as server:
            yield server, url
        return
    if _PG_SKIP:
        if os.environ.get("ESGLEDGER_REQUIRE_POSTGRES"):
            pytest.fail(f"CI requires PostgreSQL: {_PG_SKIP}")
        pytest.skip(_PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        tokens = _populate(url)
        with serving(url, tokens) as server:
            yield server, url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _populate(url: str) -> dict[str, str]:
    """The same group, years and users as the SQLite template ledger."""
    database = open_database(url)
    migrate(database)
    tokens = {}
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2023, 2024])
        save_entities(session, "tester", SMALL_GROUP)
        for name, (role, entities) in USERS.items():
            user = service.add_user(session, "tester", name, PASSWORD, role, entities=entities)
            tokens[name] = credentials.create_api_token(session, user, "tests")
    database.dispose()
    return tokens


def current(client: httpx.Client) -> dict[str, Any] | None:
    items = client.get("/api/v1/observations", params=KEY).json()["items"]
    return next((o for o in items if o["period"] == KEY["period"]), None)


def save(client: httpx.Client, value: str, seen: int | None, submit: bool = False):
    values = [{"indicator": REO, "value": value, "seen_revision": seen}]
    body = {"entity": "SMELT", "period": "2024", "submit": submit, "values": values}
    return client.post("/api/v1/observations", json=body)


def warmed(server: LiveServer, username: str, n: int) -> list[httpx.Client]:
    """Clients with their connection already open, so that released requests really race."""
    clients = [server.client(username) for _ in range(n)]
    for client in clients:
        assert client.get("/api/v1/me").status_code == 200
    return clients


def forks(url: str) -> list[tuple]:
    """Revisions superseded twice, and observations with two first revisions."""
    database = open_database(url)
    with database.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT parent_id, COUNT(*) FROM revisions WHERE parent_id IS NOT NULL "
                "GROUP BY parent_id HAVING COUNT(*) > 1 UNION ALL "
                "SELECT NULL, COUNT(*) FROM revisions WHERE parent_id IS NULL "
                "GROUP BY entity, period, indicator HAVING COUNT(*) > 1"
            )
        ).all()
    database.dispose()
    return [tuple(row) for row in rows]


def count(url: str, query: str) -> int:
    """One COUNT(*) asked of the served database on a connection of its own."""
    database = open_database(url)
    with database.connect() as connection:
        found = connection.scalar(text(query))
    database.dispose()
    return found


def chain_length(url: str) -> int:
    return count(url, "SELECT COUNT(*) FROM revisions")


def test_two_saves_from_the_same_revision_one_is_accepted_one_refused(live):
    server, url = live
    first, second = warmed(server, "admin", 2)
    assert save(first, "1", None).status_code == 200
    for trial in range(TRIALS):
        seen = current(first)["revision"]
        answers = together(
            partial(save, first, f"{100 + trial}", seen),
            partial(save, second, f"{200 + trial}", seen),
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409).json()["error"]["message"]
        assert "changed" in refused and "reload" in refused.lower()
    assert forks(url) == []
    assert chain_length(url) == 1 + TRIALS


def test_approve_and_reject_sent_together_exactly_one_succeeds(live):
    server, url = live
    admin, approver, rejecter = warmed(server, "admin", 1) + warmed(server, "manager", 2)
    for trial in range(TRIALS):
        seen = current(admin)
        assert save(admin, f"{10 + trial}", seen and seen["revision"], submit=True).is_success
        revision = current(admin)["revision"]
        answers = together(
            partial(approver.post, "/api/v1/workflow/approve", json={"revisions": [revision]}),
            partial(
                rejecter.post,
                "/api/v1/workflow/reject",
                json={"revisions": [revision], "reason": "recheck"},
            ),
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        assert current(admin)["status"] in ("approved", "rejected")
    assert forks(url) == []
    assert chain_length(url) == 2 * TRIALS


def test_an_approval_of_a_revision_changed_meanwhile_is_refused_and_writes_nothing(live):
    server, url = live
    (admin,) = warmed(server, "admin", 1)
    assert save(admin, "10", None, submit=True).is_success
    seen = current(admin)["revision"]
    assert save(admin, "11", seen, submit=True).is_success
    before = chain_length(url)
    late = server.client("manager").post("/api/v1/workflow/approve", json={"revisions": [seen]})
    assert late.status_code == 409 and "changed meanwhile" in late.json()["error"]["message"]
    assert chain_length(url) == before and current(admin)["status"] == "submitted"


def login(server: LiveServer, username: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.base_url, timeout=60)
    response = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def decide(client: httpx.Client, csrf: str, pick: str, action: str, reason: str = ""):
    """The review page's form for SMELT 2024, with one box ticked."""
    form = {"csrf_token": csrf, "action": action, "reason": reason, "pick": pick}
    return client.post("/review/SMELT/2024", data=form, follow_redirects=False)


def test_the_review_form_sent_twice_at_once_decides_once(live):
    server, url = live
    (admin,) = warmed(server, "admin", 1)
    (approver, approve_csrf), (rejecter, reject_csrf) = (
        login(server, "manager"),
        login(server, "manager"),
    )
    for trial in range(TRIALS // 2):
        seen = current(admin)
        assert save(admin, f"{10 + trial}", seen and seen["revision"], submit=True).is_success
        pick = str(current(admin)["revision"])
        answers = together(
            partial(decide, approver, approve_csrf, pick, "approve"),
            partial(decide, rejecter, reject_csrf, pick, "reject", "meter reading missing"),
        )
        assert sorted(a.status_code for a in answers) == [303, 409], [a.text for a in answers]
    assert forks(url) == []


def test_an_import_racing_a_form_save_never_forks_and_a_loser_writes_nothing(live):
    """The import states values (it chains onto whatever is newest when it writes); the
    form names the revision it saw, so it loses when the import lands first."""
    server, url = live
    importer, editor = warmed(server, "admin", 2)
    assert save(editor, "1", None).is_success
    accepted = 0
    for trial in range(TRIALS // 2):
        seen = current(editor)["revision"]
        content = f"entity,period,indicator,value\nSMELT,2024,{REO},{300 + trial}\n".encode()
        answers = together(
            partial(importer.post, "/api/v1/imports", files={"file": (f"{trial}.csv", content)}),
            partial(save, editor, f"{400 + trial}", seen),
        )
        codes = [a.status_code for a in answers]
        assert codes[0] == 200 and codes[1] in (200, 409), [a.text for a in answers]
        accepted += sum(code == 200 for code in codes)
        assert current(editor)["value"] == 300 + trial  # the import came last, or alone
    assert forks(url) == []
    assert chain_length(url) == 1 + accepted


def test_a_request_right_after_login_is_logged_in(live):
    server, _url = live
    for _ in range(TRIALS):
        client, _csrf = login(server, "manager")
        assert client.get("/api/v1/me").status_code == 200
        client.close()


def test_a_read_right_after_a_save_sees_the_saved_value(live):
    server, _url = live
    writer, reader = warmed(server, "admin", 2)
    seen = None
    for trial in range(TRIALS):
        assert save(writer, f"{500 + trial}", seen).status_code == 200
        now = current(reader)
        assert now["value"] == 500 + trial
        seen = now["revision"]


def active_admins(url: str) -> int:
    return count(url, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active")


def test_two_admins_demoting_each_other_at_once_leave_one_admin(live):
    server, url = live
    first, second = warmed(server, "admin", 1)[0], warmed(server, "manager", 1)[0]
    assert first.patch("/api/v1/users/manager", json={"role": "admin"}).status_code == 200
    for _ in range(TRIALS // 2):
        answers = together(
            partial(first.patch, "/api/v1/users/manager", json={"role": "auditor"}),
            partial(second.patch, "/api/v1/users/admin", json={"role": "auditor"}),
        )
        codes = sorted(answer.status_code for answer in answers)
        assert codes[0] == 200 and codes[1] != 200, codes
        assert active_admins(url) == 1
        winner, loser = (first, "manager") if answers[0].status_code == 200 else (second, "admin")
        restored = winner.patch(f"/api/v1/users/{loser}", json={"role": "admin"})
        assert restored.status_code == 200
