"""Overdue hazards are escalated: the site's reporters are told the day after the
deadline, the group managers after the policy's days (sooner for a major hazard); each
notice once, nothing for a hazard rectified in time; the daily job and the CLI run it."""

from __future__ import annotations

from datetime import date

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal, add_user
from esgledger.cli.main import main
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_record
from esgledger.notices import inbox_for
from esgledger.notices.texts import notice_text
from esgledger.safety import hazards
from esgledger.safety.escalation import HAZARD_NOTICES, Escalated, escalate_overdue
from esgledger.safety.register import Entry
from tests.safety.helpers import INSPECTOR, hazard_fields, png_bytes

PASSWORD = "correct horse battery"


def register(ledger) -> None:
    """A reporter of SMELT, a group manager, and three hazards with 2024-06-10 deadlines:
    a general and a major one open, and a general one at METAL (no reporter)."""
    with unit_of_work(ledger) as session:
        add_user(session, "t", "smelter", PASSWORD, Role.REPORTER, entities=["SMELT"])
        add_user(session, "t", "manager", PASSWORD, Role.GROUP_MANAGER)
        hazards.record_hazards(session, INSPECTOR, [
            Entry("H-1", "SMELT", hazard_fields(), 0),
            Entry("H-2", "SMELT", hazard_fields(severity="major", title="Bund too small"), 0),
            Entry("H-3", "METAL", hazard_fields(title="Fire extinguisher empty"), 0),
        ])  # fmt: skip


def run(ledger, day: date) -> Escalated:
    with unit_of_work(ledger) as session:
        return escalate_overdue(session, day)


def kinds(ledger, user: str) -> list[tuple[str, str]]:
    with unit_of_work(ledger) as session:
        return sorted((n.kind, n.params["hazard"]) for n in inbox_for(session, user))


def test_the_site_is_told_then_the_group_each_notice_once(ledger):
    register(ledger)
    assert run(ledger, date(2024, 6, 10)) == Escalated(0, 0)  # on the deadline: not late
    assert run(ledger, date(2024, 6, 11)) == Escalated(overdue=3, escalated=1)
    assert kinds(ledger, "smelter") == [("hazard_overdue", "H-1"), ("hazard_overdue", "H-2")]
    # METAL has no reporter: its overdue notice goes to the group manager; H-2 is major
    assert kinds(ledger, "manager") == [("hazard_escalated", "H-2"), ("hazard_overdue", "H-3")]
    assert run(ledger, date(2024, 6, 12)) == Escalated(0, 0)  # sent once
    assert run(ledger, date(2024, 6, 17)) == Escalated(0, 2)  # general: 7 days late
    with unit_of_work(ledger) as session:
        assert current_record(session, HAZARD_NOTICES, "H-1").payload["sent"] == [
            "overdue", "escalated"]  # fmt: skip


def test_a_hazard_rectified_in_time_is_not_notified(ledger, tmp_path):
    register(ledger)
    with unit_of_work(ledger) as session:
        smelter = Principal(0, "smelter", Role.REPORTER, frozenset({"SMELT"}))
        photos = [("after.png", png_bytes())]
        hazards.rectify(session, smelter, "H-1", note="rail fitted", on=date(2024, 6, 9),
                        photos=photos, files_root=tmp_path, max_bytes=10**6)  # fmt: skip
    assert run(ledger, date(2024, 6, 20)) == Escalated(overdue=2, escalated=2)
    assert ("hazard_overdue", "H-1") not in kinds(ledger, "smelter")


def test_notices_read_in_both_languages():
    params = {"hazard": "H-1", "entity": "SMELT", "title": "护栏缺失", "deadline": "2024-06-10",
              "days": "7", "owner": "王工"}  # fmt: skip
    assert notice_text("hazard_escalated", params, "zh") == (
        "升级：隐患 H-1（SMELT）“护栏缺失”逾期 7 天仍未整改（期限 2024-06-10）；责任人：王工。"
    )
    assert notice_text("hazard_overdue", params, "en").startswith(
        'Hazard H-1 (SMELT) "护栏缺失" is 7 days past its rectification deadline 2024-06-10'
    )


def test_the_cli_escalates_as_the_daily_job_does(file_ledger, capsys):
    database = open_database(file_ledger)
    register(database)
    database.dispose()
    assert main(["safety", "escalate", "--as-of", "2024-06-11", "--db", file_ledger]) == 0
    assert "3 overdue notice(s) to the sites, 1 escalation(s)" in capsys.readouterr().out
