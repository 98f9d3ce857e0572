"""The demo group's suppliers (``data/suppliers/suppliers.yaml``): the register, and
admission, evaluation (2023 and 2024), footprint and spend answers given through links.

Links are issued with a throwaway key (the demo's links are not meant to be answered
again) and answered as a supplier would, so the answers go through the same checks and
the links are marked used. Supplier-specific Scope 3 figures are not written: a manager
writes them as drafts from the scores page, to be reviewed like any value.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import yaml
from sqlalchemy import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.suppliers.questionnaires import (
    RawAnswer,
    issue_questionnaire,
    open_questionnaire,
    submit_answer,
)
from esgledger.suppliers.register import parse_supplier, save_suppliers


def demo_suppliers() -> dict[str, Any]:
    path = files("esgledger.demo") / "data" / "suppliers" / "suppliers.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_suppliers(database: Engine, actor: str, entities: list[str]) -> int:
    """The register and every answer of the demo; returns the answers written."""
    data = demo_suppliers()
    key = secrets.token_bytes(32)
    with unit_of_work(database) as session:
        save_suppliers(session, [parse_supplier(s, entities) for s in data["suppliers"]],
                       actor=actor)  # fmt: skip
        answers = _answers(data)
        for code, kind, year, raw in answers:
            now = datetime(year + 1, 2, 15, tzinfo=UTC)
            token, _ = issue_questionnaire(
                session, key, supplier=code, kind=kind, year=year, lang="zh",
                valid_for=timedelta(days=30), now=now, actor=actor,
            )  # fmt: skip
            submit_answer(session, open_questionnaire(key, token, now), raw, now)
    return len(answers)


def _answers(data: dict[str, Any]) -> list[tuple[str, str, int, RawAnswer]]:
    found = [(c, "admission", a["year"], RawAnswer(a["answers"], {}))
             for c, a in data["admission"].items()]  # fmt: skip
    found += [
        (code, "evaluation", year, RawAnswer(values, {}))
        for year, by_code in data["evaluation"].items()
        for code, values in by_code.items()
    ]
    found += [(c, "footprint", f["year"], RawAnswer({}, {"products": f["products"]}))
              for c, f in data["footprint"].items()]  # fmt: skip
    found += [(c, "spend", s["year"], RawAnswer({}, {"deliveries": s["deliveries"]}))
              for c, s in data["spend"].items()]  # fmt: skip
    return found
