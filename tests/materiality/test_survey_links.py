"""Survey links: signed, purpose-bound, expiring, one answer each; refusals change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esgledger.auth.links import LinkRefused, issue_link, verify_link
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.materiality.model import sse14_topics
from esgledger.materiality.summary import assessment, responses_behind
from esgledger.materiality.survey import (
    RESPONSES,
    Answer,
    issue_survey_links,
    open_survey,
    submit_response,
)
from esgledger.materiality.topics import save_topics
from esgledger.settings import Settings, SettingsError, link_key

KEY = b"k" * 32
NOW = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
WATER = "sse.water_use"
IMPACT = {"scale": 4, "scope": 3, "irremediability": 5, "likelihood": 5}


def _issue(database, group="employees", count=2):
    with unit_of_work(database) as session:
        save_topics(session, 2024, sse14_topics(), actor="manager")
        return issue_survey_links(
            session, KEY, year=2024, group=group, count=count, lang="zh",
            valid_for=timedelta(days=14), now=NOW, actor="manager",
        )  # fmt: skip


def _answers(ratings=IMPACT, topic=WATER):
    return [Answer(topic, dim, score) for dim, score in ratings.items()]


def _answer(database, token, answers, now=NOW):
    with unit_of_work(database) as session:
        submit_response(session, open_survey(KEY, token, now), answers)


def _responses(database):
    with unit_of_work(database) as session:
        return current_records(session, RESPONSES)


def test_an_answer_is_recorded_and_scored(database):
    first, _second = _issue(database)
    _answer(database, first, _answers())
    with unit_of_work(database) as session:
        result = assessment(session, 2024, "en")
        behind = responses_behind(session, 2024, WATER)
    water = next(r for r in result.rows if r["id"] == WATER)
    assert water["impact"] == pytest.approx(4.0) and water["tier"] == "high"
    employees = next(g for g in result.groups if g["id"] == "employees")
    assert (employees["issued"], employees["answered"], employees["rate"]) == (2, 1, 0.5)
    assert [(r["group"], r["scale"], r["impact"]) for r in behind] == [("employees", 4, 4.0)]


def test_a_second_answer_through_the_same_link_is_refused_and_changes_nothing(database):
    token, _ = _issue(database)
    _answer(database, token, _answers())
    with pytest.raises(LinkRefused) as refused:
        _answer(database, token, _answers({**IMPACT, "scale": 1}))
    assert refused.value.code == "link.used"
    assert "已被使用" in refused.value.text("zh")
    assert [r.payload["scores"] for r in _responses(database)] == [[4, 3, 5, 5]]


def test_a_forged_link_is_refused(database):
    token, _ = _issue(database)
    body, _, signature = token.partition(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature
    for bad in (tampered, "nonsense", token + "x"):
        with pytest.raises(LinkRefused) as refused:
            _answer(database, bad, _answers())
        assert refused.value.code == "link.forged"
    other_key, _ = issue_link(
        b"x" * 32, "materiality.survey", {"year": 2024}, timedelta(days=1), NOW
    )
    with pytest.raises(LinkRefused):
        verify_link(KEY, other_key, "materiality.survey", NOW)
    assert _responses(database) == []


def test_a_link_for_another_purpose_is_refused():
    token, _ = issue_link(KEY, "suppliers.questionnaire", {}, timedelta(days=1), NOW)
    with pytest.raises(LinkRefused) as refused:
        verify_link(KEY, token, "materiality.survey", NOW)
    assert refused.value.code == "link.forged"


def test_an_expired_link_is_refused(database):
    token, _ = _issue(database)
    with pytest.raises(LinkRefused) as refused:
        _answer(database, token, _answers(), now=NOW + timedelta(days=14))
    assert refused.value.code == "link.expired"
    assert "过期" in refused.value.text("zh") and "expired" in refused.value.text("en")
    assert _responses(database) == []


@pytest.mark.parametrize("score", [0, 6, "3.5", "x", -1])
def test_a_score_out_of_range_is_refused_and_the_link_stays_usable(database, score):
    token, _ = _issue(database)
    with pytest.raises(EsgError) as refused:
        _answer(database, token, _answers({**IMPACT, "scope": score}))
    assert refused.value.code == "assessment.score_out_of_range"
    assert "1 至 5" in refused.value.text("zh")
    assert _responses(database) == []
    _answer(database, token, _answers())  # the link was not used up
    assert len(_responses(database)) == 1


def test_a_dimension_not_asked_of_the_group_is_refused(database):
    token, _ = _issue(database, group="investors")
    with pytest.raises(EsgError) as refused:
        _answer(database, token, _answers())
    assert refused.value.code == "assessment.unknown_dimension"


def test_a_server_without_a_link_key_says_which_setting_is_missing():
    with pytest.raises(SettingsError) as missing:
        link_key(Settings(link_key=None))
    assert "ESGLEDGER_LINK_KEY" in missing.value.text("en")
    assert "ESGLEDGER_LINK_KEY" in missing.value.text("zh")
    assert link_key(Settings(link_key="s" * 20)) == b"s" * 20
