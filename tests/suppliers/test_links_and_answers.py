"""Questionnaire links: forged, expired, reused or other-purpose links are refused, in
Chinese and English, and change nothing; a refused answer leaves the link usable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from esgledger.auth.links import LinkRefused, issue_link
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.suppliers.questionnaires import (
    ANSWERS,
    RawAnswer,
    open_questionnaire,
    submit_answer,
)
from tests.suppliers.helpers import BEST_EVALUATION, KEY, NOW, answer, issue, register, supplier


def _answers(database):
    with unit_of_work(database) as session:
        return current_records(session, ANSWERS)


def _submit(database, token, values, now=NOW, lines=None):
    with unit_of_work(database) as session:
        claims = open_questionnaire(KEY, token, now)
        submit_answer(session, claims, RawAnswer(values, lines or {}), now)


def test_an_answer_is_stored_once_with_its_supplier_and_buying_entity(ledger):
    register(ledger, supplier("S1", entity="METAL"))
    token = answer(ledger, "S1", "evaluation", BEST_EVALUATION)
    [record] = _answers(ledger)
    assert record.entity == "METAL" and record.payload["supplier"] == "S1"
    assert record.payload["answers"]["pass_rate"] == "ge99"
    assert record.payload["answers"]["violations"] is True
    with pytest.raises(LinkRefused) as refused:
        _submit(ledger, token, BEST_EVALUATION)
    assert refused.value.code == "link.used"
    assert "已被使用" in refused.value.text("zh") and "already used" in refused.value.text("en")
    assert len(_answers(ledger)) == 1


@pytest.mark.parametrize(
    ("mangle", "code", "zh"),
    [
        (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), "link.forged", "无效"),
        (lambda t: "x" + t, "link.forged", "无效"),
    ],
)
def test_a_forged_link_is_refused(ledger, mangle, code, zh):
    register(ledger, supplier("S1"))
    token = issue(ledger, "S1", "evaluation")
    with pytest.raises(LinkRefused) as refused:
        _submit(ledger, mangle(token), BEST_EVALUATION)
    assert refused.value.code == code and zh in refused.value.text("zh")
    assert _answers(ledger) == []


def test_an_expired_link_is_refused_and_changes_nothing(ledger):
    register(ledger, supplier("S1"))
    token = issue(ledger, "S1", "evaluation", days=14)
    with pytest.raises(LinkRefused) as refused:
        _submit(ledger, token, BEST_EVALUATION, now=NOW + timedelta(days=14))
    assert refused.value.code == "link.expired" and "过期" in refused.value.text("zh")
    assert _answers(ledger) == []
    _submit(ledger, token, BEST_EVALUATION, now=NOW + timedelta(days=13))  # the day before
    assert len(_answers(ledger)) == 1


def test_a_link_of_another_purpose_is_refused(ledger):
    register(ledger, supplier("S1"))
    subject = {"supplier": "S1", "kind": "evaluation", "year": 2024, "lang": "zh"}
    token, _ = issue_link(KEY, "materiality.survey", subject, timedelta(days=1), NOW)
    with pytest.raises(LinkRefused) as refused:
        _submit(ledger, token, BEST_EVALUATION)
    assert refused.value.code == "link.forged"


def test_an_incomplete_answer_is_refused_and_the_link_stays_usable(ledger):
    register(ledger, supplier("S1"))
    token = issue(ledger, "S1", "evaluation")
    partial = {k: v for k, v in BEST_EVALUATION.items() if k != "injuries"}
    with pytest.raises(EsgError) as refused:
        _submit(ledger, token, partial)
    assert refused.value.code == "supplier_q.missing"
    assert "第 6 题未作答" in refused.value.text("zh")
    with pytest.raises(EsgError) as bad:
        _submit(ledger, token, BEST_EVALUATION | {"pass_rate": "all"})
    assert bad.value.code == "supplier_q.bad_value"
    assert _answers(ledger) == []
    _submit(ledger, token, BEST_EVALUATION)
    assert len(_answers(ledger)) == 1


def test_footprint_rows_are_checked_cell_by_cell(ledger):
    register(ledger, supplier("S1"))
    token = issue(ledger, "S1", "footprint")
    row = {"product": "碳酸氢铵", "unit": "t", "kgco2e_per_unit": "1200", "method": "iso14067",
           "verified": "yes"}  # fmt: skip
    with pytest.raises(EsgError) as negative:
        _submit(ledger, token, {}, lines={"products": [row | {"kgco2e_per_unit": "-5"}]})
    assert negative.value.code == "supplier_q.bad_number"
    with pytest.raises(EsgError) as empty_cell:
        _submit(ledger, token, {}, lines={"products": [row | {"method": ""}]})
    assert empty_cell.value.code == "supplier_q.missing_cell"
    _submit(ledger, token, {}, lines={"products": [row, {k: "" for k in row}]})
    [record] = _answers(ledger)
    assert record.payload["answers"]["products"] == [
        {"product": "碳酸氢铵", "unit": "t", "kgco2e_per_unit": 1200.0, "method": "iso14067",
         "verified": True}
    ]  # fmt: skip
