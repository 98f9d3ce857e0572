"""The inbox: notices posted, listed newest first per user, read once, never shown to others."""

from __future__ import annotations

import pytest

from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import record_history
from esgledger.ledger.verify import verify_ledger
from esgledger.notices import (
    INBOX,
    Notice,
    inbox_for,
    mark_all_read,
    mark_read,
    post_notices,
    unread_count,
)


def post(ledger, *notices):
    with unit_of_work(ledger) as session:
        return post_notices(session, notices, actor="system")


def test_posted_notices_reach_only_their_recipients_unread(ledger):
    count = post(
        ledger,
        Notice("smelter", "campaign_reminder", {"campaign": "2024"}, "/inbox", "SMELT"),
        Notice("smelter", "campaign_overdue", {"campaign": "2024", "days": "3"}),
        Notice("metal", "campaign_reminder", {"campaign": "2024"}),
    )
    assert count == 3
    with unit_of_work(ledger) as session:
        mine = inbox_for(session, "smelter")
        assert {n.kind for n in mine} == {"campaign_overdue", "campaign_reminder"}
        assert unread_count(session, "smelter") == 2
        assert unread_count(session, "metal") == 1
        assert unread_count(session, "nobody") == 0
        assert {n.entity for n in mine} == {"SMELT", None} and all(not n.read for n in mine)
        assert verify_ledger(session).ok


def test_reading_a_notice_is_recorded_once(ledger):
    post(ledger, Notice("smelter", "campaign_reminder", {"campaign": "2024"}))
    with unit_of_work(ledger) as session:
        key = inbox_for(session, "smelter")[0].key
        assert mark_read(session, "smelter", key).read
        mark_read(session, "smelter", key)
    with unit_of_work(ledger) as session:
        assert unread_count(session, "smelter") == 0
        assert len(record_history(session, INBOX, key)) == 2


def test_another_users_notice_is_not_found(ledger):
    post(ledger, Notice("smelter", "campaign_reminder"))
    with unit_of_work(ledger) as session:
        key = inbox_for(session, "smelter")[0].key
        with pytest.raises(EsgError) as error:
            mark_read(session, "metal", key)
    assert error.value.code == "notice.not_found"


def test_mark_all_read_and_bad_kinds(ledger):
    post(ledger, Notice("smelter", "a.b"), Notice("smelter", "c.d"))
    with unit_of_work(ledger) as session:
        assert mark_all_read(session, "smelter") == 2
        assert unread_count(session, "smelter") == 0
    with unit_of_work(ledger) as session, pytest.raises(EsgError) as error:
        post_notices(session, [Notice("smelter", "Bad Kind!")], actor="system")
    assert error.value.code == "notice.bad_notice"


def test_a_long_username_gets_its_own_inbox(ledger):
    long_name = "a" * 70
    post(ledger, Notice(long_name, "campaign_reminder"), Notice("a" * 69 + "b", "x.y"))
    with unit_of_work(ledger) as session:
        assert [n.kind for n in inbox_for(session, long_name)] == ["campaign_reminder"]
