"""The home page's "due" list from the collection campaigns, notices to the other side of a
thread, and completeness counting a "not applicable" answered through the thread page."""

from __future__ import annotations

from datetime import date, timedelta

from esgledger.collection.campaigns import create_campaign
from esgledger.collection.completeness import completeness_frame
from esgledger.collection.obligations import owed_for_entity, owed_frame, set_overrides
from esgledger.ledger.database import unit_of_work
from esgledger.notices import inbox_for
from tests.web.conftest import csrf_of
from tests.web.test_home_pages import THREAD, reply

MONTHLY = "energy.purchased_electricity"
GAS = "energy.natural_gas"


def campaign(app, due: date) -> None:
    """SMELT owes electricity and gas in 2024; the reporter owns its request."""
    catalog = app.state.catalog
    with unit_of_work(app.state.database) as session:
        owed = owed_for_entity(session, catalog, "SMELT", 2024)
        drop = [i for i in owed if i not in {MONTHLY, GAS}]
        keep = [MONTHLY, GAS]
        set_overrides(session, catalog, "manager", "SMELT", add=keep, drop=drop, reason="test")
        owners = {"SMELT": ["reporter"]}
        create_campaign(
            session, catalog, "manager", "fy2024", year=2024, due=due, title="FY2024",
            entities=["SMELT"], owners=owners,
        )  # fmt: skip


def test_home_lists_what_is_due_and_marks_it_overdue(app, client_for):
    campaign(app, date.today() - timedelta(days=3))
    home = client_for("reporter").get("/home").text
    assert 'data-test="due-item"' in home
    assert "FY2024: 24 of 24 items open" in home
    assert f"overdue since {(date.today() - timedelta(days=3)).isoformat()}" in home
    assert 'href="/entry/SMELT/2024"' in home


def test_a_not_applicable_answer_counts_as_answered(app, client_for):
    campaign(app, date.today() + timedelta(days=10))
    reporter = client_for("reporter")
    page = reporter.get(f"/threads/SMELT/2024/{GAS}").text
    data = {"csrf_token": csrf_of(page), "action": "declare", "reason": "No gas on site"}
    reporter.post(f"/threads/SMELT/2024/{GAS}/na", data=data)
    catalog = app.state.catalog
    with unit_of_work(app.state.database) as session:
        frame = completeness_frame(session, catalog, owed_frame(session, catalog, 2024), 2024)
    smelt = frame.filter(frame["entity"] == "SMELT").to_dicts()[0]
    assert (smelt["owed"], smelt["answered"]) == (24, 12)  # the year's N/A covers its months
    assert "FY2024: 12 of 24 items open" in reporter.get("/home").text


def test_a_comment_notifies_the_other_participants_and_the_entitys_reporters(app, client_for):
    reply(client_for("manager"), "Which meter?")
    reply(client_for("auditor"), "And the invoice?")
    with unit_of_work(app.state.database) as session:
        to_reporter = inbox_for(session, "reporter")
        to_manager = inbox_for(session, "manager")
        to_auditor = inbox_for(session, "auditor")
    assert sorted((n.kind, n.params["author"], n.link) for n in to_reporter) == [
        ("comment", "auditor", THREAD),
        ("comment", "manager", THREAD),
    ]
    assert [n.params["author"] for n in to_manager] == ["auditor"]  # not told of its own
    assert to_auditor == []
