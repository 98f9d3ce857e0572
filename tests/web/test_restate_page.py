"""Restating a locked value from the browser: the new revision is flagged, with its reason."""

from __future__ import annotations

from html import unescape

import pytest

from esgledger.ledger.calendar import lock_period
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.revisions import Selection, latest_revisions
from tests.web.conftest import csrf_of

ELECTRICITY = "energy.purchased_electricity"
HISTORY = f"/observations/SMELT/2023-01/{ELECTRICITY}"


@pytest.fixture
def locked_2023(app):
    with unit_of_work(app.state.database) as session:
        lock_period(session, "setup", "2023")
    return app


def restate(client, **fields):
    page = client.get("/restate").text
    data = {"csrf_token": csrf_of(page), "entity": "SMELT", "period": "2023-01"}
    data |= {"indicator": ELECTRICITY, "unit": "MWh", "reason": "meter misread", **fields}
    return client.post("/restate", data=data, follow_redirects=False)


def current(app, period: str = "2023-01"):
    with unit_of_work(app.state.database) as session:
        (revision,) = latest_revisions(session, Selection(["SMELT"], [period], [ELECTRICITY]))
        return revision


def test_a_manager_restates_a_locked_value_and_the_history_flags_it(locked_2023, client_for):
    manager = client_for("manager")
    assert 'data-test="restate-link"' in manager.get(HISTORY).text
    response = restate(manager, value="１，０５０")  # typed with a Chinese input method
    assert response.status_code == 303 and response.headers["location"] == HISTORY
    revision = current(locked_2023)
    assert (revision.canonical_value, revision.restatement, revision.status) == (
        1050.0,
        True,
        "locked",
    )
    assert "meter misread" in manager.get(HISTORY).text


def test_a_value_of_an_open_period_is_refused_on_the_form(app, client_for):
    response = restate(client_for("manager"), value="1050")
    assert response.status_code == 400
    assert "is not locked" in unescape(response.text)
    assert current(app).canonical_value == 1000.0


def test_a_value_that_is_no_number_is_refused_with_the_value_named(locked_2023, client_for):
    response = restate(client_for("manager"), value="about 1000")
    assert response.status_code == 400
    assert "'about 1000' is not a number" in unescape(response.text)


def test_reporters_may_not_restate(locked_2023, client_for):
    reporter = client_for("reporter")
    assert reporter.get("/restate").status_code == 403
    assert 'data-test="restate-link"' not in reporter.get(HISTORY).text
