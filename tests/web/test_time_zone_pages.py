"""The web pages show the ledger's UTC times in the server's reporting time zone."""

from __future__ import annotations

import shutil

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.schema import AuditEntry
from esgledger.reporting_time import shown_time
from esgledger.settings import Settings
from esgledger.web.app import create_app
from tests.web.conftest import log_in


def audit_page_in(zone: str, tmp_path, seeded_file) -> tuple[str, list]:
    path = tmp_path / f"{zone.replace('/', '_')}.db"
    shutil.copyfile(seeded_file, path)
    app = create_app(Settings(db=f"sqlite:///{path}", secure_cookies=False, timezone=zone))
    client = TestClient(app)
    log_in(client, "admin")
    with unit_of_work(app.state.database) as session:
        moments = list(session.scalars(select(AuditEntry.at).order_by(AuditEntry.id.desc())))
    return client.get("/audit").text, moments


def test_the_audit_page_shows_times_in_the_configured_zone(tmp_path, seeded_file):
    for zone, abbreviation in (("Asia/Shanghai", "CST"), ("UTC", "UTC")):
        page, moments = audit_page_in(zone, tmp_path, seeded_file)
        assert shown_time(moments[0], zone) in page
        assert shown_time(moments[0], zone).endswith(abbreviation)
