"""Scores, admission decisions, classes and movement, against hand-worked figures.

Method: src/esgledger/suppliers/data/scoring.yaml (criteria and classes from the reference
report's supplier management mechanism; weights and thresholds esgledger's defaults).
"""

from __future__ import annotations

import pytest

from esgledger.ledger.database import unit_of_work
from esgledger.suppliers.model import scoring
from esgledger.suppliers.scoring import admission_decision, supplier_class
from esgledger.suppliers.summary import overview
from tests.suppliers.helpers import BEST_EVALUATION, answer, register, supplier

ADMISSION = {
    "licence": "yes", "violations": "yes", "quality_system": "documented",
    "environment_system": "certified", "discharge_permit": "yes", "safety_system": "documented",
    "fatalities": "yes", "child_labour": "yes", "contracts": "no", "integrity": "yes",
    "minerals_policy": "not_applicable", "notes": "",
}  # fmt: skip


def _rows(database, year=2024):
    with unit_of_work(database) as session:
        return {r.supplier.code: r for r in overview(session, year)}


def test_admission_score_is_the_weighted_mean_of_applicable_areas(ledger):
    # compliance 2/2 = 1, quality 0.5, environment 2/2 = 1, safety 1.5/2 = 0.75,
    # labour 1/2 = 0.5, ethics 1; minerals not applicable (its weight 0.10 left out):
    # (0.20x1 + 0.20x0.5 + 0.15x1 + 0.15x0.75 + 0.10x0.5 + 0.10x1) / 0.90 = 0.7125 / 0.90
    # = 79.17 -> approved (>= 70); a bulk raw material supplier waits for an on-site visit.
    register(ledger, supplier("S1"), supplier("S2", "bulk_raw_material"), supplier("S3"))
    answer(ledger, "S1", "admission", ADMISSION)
    answer(ledger, "S2", "admission", ADMISSION | {"minerals_policy": "policy"})
    answer(ledger, "S3", "admission", ADMISSION | {"child_labour": "no"})
    rows = _rows(ledger)
    assert rows["S1"].admission_score == pytest.approx(0.7125 / 0.90 * 100)
    assert rows["S1"].decision == "approved"
    # minerals answered "policy in place" (0.5): 0.7125 + 0.10 x 0.5 = 0.7625 / 1.00 = 76.25
    assert rows["S2"].admission_score == pytest.approx(76.25)
    assert rows["S2"].decision == "onsite"
    # an essential requirement (no child labour) not met: rejected whatever the score
    assert rows["S3"].decision == "rejected"


def test_decisions_and_classes_follow_the_thresholds():
    method = scoring()
    assert [admission_decision(s, False, "services", method) for s in (70, 69.9, 55, 54.9)] == [
        "approved", "conditional", "conditional", "rejected",
    ]  # fmt: skip
    assert [supplier_class(s, False, method) for s in (85, 84.9, 70, 60, 59.9)] == [
        "strategic", "key", "key", "general", "exit",
    ]  # fmt: skip
    assert supplier_class(99, True, method) == "exit"


def test_annual_classes_and_movement_since_last_year(ledger):
    register(ledger, supplier("A"), supplier("B"), supplier("C"))
    for code in ("A", "B"):
        answer(ledger, code, "evaluation", BEST_EVALUATION, year=2023)  # 100: strategic
    # A: pass rate 95-99 % (0.7): 100 - 20 x 0.3 = 94 -> strategic, unchanged
    answer(ledger, "A", "evaluation", BEST_EVALUATION | {"pass_rate": "ge95"})
    # B: pass rate 90-95 % (0.4), on time below 90 % (0; service (0 + 1) / 2 = 0.5):
    # 100 - 20 x 0.6 - 15 x 0.5 = 80.5 -> key, down
    answer(ledger, "B", "evaluation", BEST_EVALUATION | {"pass_rate": "ge90", "on_time": "lt90"})
    # C: a violation this year (essential): exit; first evaluation
    answer(ledger, "C", "evaluation", BEST_EVALUATION | {"violations": "no"})
    rows = _rows(ledger)
    a, b, c = (rows[code].evaluation for code in "ABC")
    assert (a.score, a.cls, a.previous_cls, a.movement) == (pytest.approx(94), "strategic",
                                                            "strategic", "same")  # fmt: skip
    assert (b.score, b.cls, b.movement) == (pytest.approx(80.5), "key", "down")
    assert (c.cls, c.previous_cls, c.movement) == ("exit", None, "new")
