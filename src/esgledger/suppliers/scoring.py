"""Scores, admission decisions, annual classes and their movement (method: scoring.yaml).

A scored question gives 0 to 1 point (yes = 1, no = 0; a choice its option's points; "not
applicable" nothing and no maximum). An area's score is its points over its maximum; a
questionnaire's score is the weighted mean of its areas' scores (weights of areas with no
applicable question shared out over the rest) on a 0-100 scale. A 0 on an essential
question fails an essential requirement of the reference report, whatever the score.
Scores are computed over columns: one row per (supplier, question), grouped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from esgledger.ledger.reads.records import RecordView
from esgledger.suppliers.model import Questionnaire, Scoring, questionnaire, scoring

POINTS_SCHEMA = {"supplier": pl.Utf8, "year": pl.Int64, "area": pl.Utf8, "points": pl.Float64,
                 "most": pl.Float64, "essential_failed": pl.Boolean}  # fmt: skip
SCORE_SCHEMA = {"supplier": pl.Utf8, "year": pl.Int64, "score": pl.Float64,
                "essential_failed": pl.Boolean}  # fmt: skip


def _points(form: Questionnaire, answers: dict) -> Iterable[tuple[str, float | None, bool]]:
    """(area, points or None when not applicable, essential) of each scored question."""
    for q in form.questions:
        if q.area is None or q.kind not in ("yesno", "choice"):
            continue
        value = answers.get(q.id)
        if q.kind == "yesno":
            points: float | None = 1.0 if value is True else 0.0
        else:
            option = q.option(str(value))
            points = None if option is None else option.points
        yield q.area, points, q.essential


def points_frame(kind: str, answers: Iterable[RecordView]) -> pl.DataFrame:
    """One row per scored, applicable question of each answer."""
    form = questionnaire(kind)
    rows = [
        (r.payload["supplier"], int(r.payload["year"]), area, points, 1.0,
         essential and points == 0)
        for r in answers
        for area, points, essential in _points(form, r.payload["answers"])
        if points is not None
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=POINTS_SCHEMA, orient="row")


def score_frame(
    kind: str, answers: Iterable[RecordView], method: Scoring | None = None
) -> pl.DataFrame:
    """``supplier, year, score (0-100), essential_failed`` of each answer."""
    method = method or scoring()
    weights = pl.DataFrame(
        list(method.weights[kind].items()), schema={"area": pl.Utf8, "weight": pl.Float64},
        orient="row",
    )  # fmt: skip
    areas = (
        points_frame(kind, answers)
        .group_by("supplier", "year", "area")
        .agg(pl.col("points").sum(), pl.col("most").sum(), pl.col("essential_failed").any())
        .join(weights, on="area", how="inner")
        .with_columns(area_score=pl.col("points") / pl.col("most"))
    )
    if areas.is_empty():
        return pl.DataFrame(schema=SCORE_SCHEMA)
    return (
        areas.group_by("supplier", "year")
        .agg(
            score=(pl.col("area_score") * pl.col("weight")).sum()
            / pl.col("weight").sum()
            * method.scale,
            essential_failed=pl.col("essential_failed").any(),
        )
        .sort("supplier", "year")
    )


def admission_decision(score: float, failed: bool, category: str, method: Scoring) -> str:
    """rejected, conditional, onsite (approved once inspected on site) or approved."""
    if failed or score < method.conditional:
        return "rejected"
    if score < method.approve:
        return "conditional"
    return "onsite" if category in method.onsite_categories else "approved"


def supplier_class(score: float | None, failed: bool, method: Scoring) -> str | None:
    """The class whose minimum the score reaches first; exit below all, or when failed."""
    if score is None:
        return None
    if failed:
        return method.exit
    return next((cid for cid, least in method.classes if score >= least), method.exit)


@dataclass(frozen=True)
class Movement:
    supplier: str
    score: float
    cls: str
    previous_score: float | None
    previous_cls: str | None
    movement: str  # up, down, same, new


def class_rank(method: Scoring) -> dict[str, int]:
    return {cid: n for n, (cid, _) in enumerate(method.classes)} | {
        method.exit: len(method.classes)
    }


def movements(
    answers: Iterable[RecordView], year: int, method: Scoring | None = None
) -> list[Movement]:
    """Each supplier evaluated in ``year``: score, class, last year's, and the movement."""
    method = method or scoring()
    scores = score_frame("evaluation", answers, method)
    now = scores.filter(pl.col("year") == year)
    before = scores.filter(pl.col("year") == year - 1).rename(
        {"score": "previous", "essential_failed": "previous_failed"}
    )
    joined = now.join(before.drop("year"), on="supplier", how="left").sort("supplier")
    rank = class_rank(method)
    result = []
    for row in joined.iter_rows(named=True):
        cls = supplier_class(row["score"], row["essential_failed"], method) or method.exit
        prev = supplier_class(row["previous"], bool(row["previous_failed"]), method)
        move = "new" if prev is None else _move(rank[cls], rank[prev])
        result.append(Movement(row["supplier"], row["score"], cls, row["previous"], prev, move))
    return result


def _move(now: int, before: int) -> str:
    return "same" if now == before else ("up" if now < before else "down")
