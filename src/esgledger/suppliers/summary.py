"""What the pages, the API and the CLI show: each supplier with its admission decision,
this year's evaluation class and its movement since last year."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.suppliers.model import scoring
from esgledger.suppliers.questionnaires import latest_answers
from esgledger.suppliers.register import Supplier, list_suppliers
from esgledger.suppliers.scoring import Movement, admission_decision, movements, score_frame


@dataclass(frozen=True)
class SupplierRow:
    supplier: Supplier
    version: int
    admission_score: float | None
    decision: str | None
    evaluation: Movement | None


def admissions(
    session: Session, entities: list[str] | None = None
) -> dict[str, tuple[float, bool]]:
    """Each supplier's newest admission answer scored: (score, an essential requirement failed)."""
    newest: dict[str, object] = {}
    for (supplier, _), record in sorted(
        latest_answers(session, "admission", entities=entities).items()
    ):
        newest[supplier] = record  # sorted by year: the newest year's answer wins
    frame = score_frame("admission", newest.values())  # type: ignore[arg-type]
    return {
        row["supplier"]: (row["score"], row["essential_failed"])
        for row in frame.iter_rows(named=True)
    }


def overview(session: Session, year: int, entities: list[str] | None = None) -> list[SupplierRow]:
    """Every supplier of the register with its decision, class and movement for ``year``."""
    method = scoring()
    admitted = admissions(session, entities)
    evaluated = {
        m.supplier: m
        for m in movements(latest_answers(session, "evaluation", entities=entities).values(), year)
    }
    rows = []
    for supplier, version in list_suppliers(session, entities):
        score = admitted.get(supplier.code)
        decision = (
            admission_decision(score[0], score[1], supplier.category, method) if score else None
        )
        rows.append(
            SupplierRow(supplier, version, score[0] if score else None, decision,
                        evaluated.get(supplier.code))
        )  # fmt: skip
    return rows


def class_counts(rows: list[SupplierRow]) -> pl.DataFrame:
    """How many suppliers are in each class this year (for the page's summary line)."""
    classes = [r.evaluation.cls for r in rows if r.evaluation]
    return pl.DataFrame({"class": classes}, schema={"class": pl.Utf8}).group_by("class").len()
