"""Shared test steps: a register of three suppliers, questionnaires answered through links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from esgledger.ledger.database import unit_of_work
from esgledger.suppliers.questionnaires import (
    RawAnswer,
    issue_questionnaire,
    open_questionnaire,
    submit_answer,
)
from esgledger.suppliers.register import Supplier, save_suppliers

KEY = b"s" * 32
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ENTITIES = ["GRP", "SMELT", "METAL"]
BEST_EVALUATION = {
    "pass_rate": "ge99", "on_time": "ge98", "complaints": "yes", "violations": "yes",
    "env_penalties": "yes", "injuries": "none", "labour_audit": "yes", "integrity_kept": "yes",
    "minerals_traced": "full", "carbon_disclosed": "both",
}  # fmt: skip


def supplier(code: str, category: str = "services", entity: str = "SMELT") -> Supplier:
    email = f"{code.lower()}@example.com"
    return Supplier(code, f"供应商{code}", f"Supplier {code}", "", category, "内蒙古",
                    "reagents", 1_000_000.0, "approved", entity, email)  # fmt: skip


def register(database, *suppliers: Supplier) -> None:
    with unit_of_work(database) as session:
        save_suppliers(session, list(suppliers), actor="manager")


def issue(database, code: str, kind: str, year: int = 2024, days: int = 30) -> str:
    with unit_of_work(database) as session:
        token, _ = issue_questionnaire(
            session, KEY, supplier=code, kind=kind, year=year, lang="zh",
            valid_for=timedelta(days=days), now=NOW, actor="manager",
        )  # fmt: skip
    return token


def answer(database, code: str, kind: str, values=None, lines=None, year: int = 2024) -> str:
    token = issue(database, code, kind, year)
    with unit_of_work(database) as session:
        claims = open_questionnaire(KEY, token, NOW)
        submit_answer(session, claims, RawAnswer(values or {}, lines or {}), NOW)
    return token
