"""A year's assessment as the pages, the API, the CLI and the report show it.

:func:`assessment` is the one public summary: the year's topics with their scores, tiers
and movement since last year, the survey's progress per stakeholder group, and the matrix.
:func:`responses_behind` is the drill-down: the ratings a topic's score was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import RecordView, current_records, records_frame
from esgledger.materiality.matrix import Dot, matrix_svg
from esgledger.materiality.model import Method, Topic, load_method
from esgledger.materiality.scoring import answers_frame, movement, response_scores, score_responses
from esgledger.materiality.survey import LINKS, RESPONSES
from esgledger.materiality.topics import year_topics


@dataclass
class Assessment:
    """One year's result: rows per topic (in list order), progress per group, the chart."""

    year: int
    rows: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    svg: str
    method: Method
    responses: int = 0
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def material(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["tier"] != self.method.not_material.id]


def year_responses(session: Session, year: int) -> list[RecordView]:
    """The survey answers of ``year`` (one record per answered link)."""
    return [r for r in current_records(session, RESPONSES) if r.payload.get("year") == year]


def assessment(session: Session, year: int, lang: str, method: Method | None = None) -> Assessment:
    """The year's topics scored, tiered and compared with the year before."""
    method = method or load_method()
    topics = year_topics(session, year)
    answered = year_responses(session, year)
    before = score_responses(year_responses(session, year - 1), method)
    scores = movement(score_responses(answered, method), before)
    by_topic = {row["topic"]: row for row in scores.to_dicts()}
    tiers = {t.id: t.name(lang) for t in [*method.tiers, method.not_material]}
    rows = [_row(n, t, by_topic.get(t.id), tiers, lang) for n, t in enumerate(topics, 1)]
    dots = [
        Dot(r["number"], r["name"], r["impact"], r["financial"], r["tier"])
        for r in rows
        if r["impact"] is not None and r["financial"] is not None
    ]
    labels = _chart_labels(lang, year)
    return Assessment(
        year=year,
        rows=rows,
        groups=progress(session, year, method, lang, answered),
        svg=matrix_svg(dots, method, **labels),
        method=method,
        responses=len(answered),
        sources=method.sources,
    )


def _row(number: int, topic: Topic, score: dict | None, tiers: dict, lang: str) -> dict:
    score = score or {}
    tier = score.get("tier") or "not_rated"
    return {
        "number": number,
        "id": topic.id,
        "name": topic.name(lang),
        "dimension": topic.dimension,
        "article": topic.article or "",
        "impact": score.get("impact"),
        "financial": score.get("financial"),
        "responses": score.get("responses") or 0,
        "tier": tier,
        "tier_name": tiers.get(tier, "—"),
        "impact_change": score.get("impact_change"),
        "financial_change": score.get("financial_change"),
        "tier_before": score.get("tier_before"),
    }


def _chart_labels(lang: str, year: int) -> dict[str, str]:
    if lang == "zh":
        return {
            "x_label": "财务重要性",
            "y_label": "影响重要性",
            "title": f"{year} 年双重重要性矩阵",
        }
    return {
        "x_label": "Financial materiality",
        "y_label": "Impact materiality",
        "title": f"Double materiality matrix {year}",
    }


def progress(
    session: Session, year: int, method: Method, lang: str, responses: list[RecordView]
) -> list[dict[str, Any]]:
    """Per stakeholder group: links issued, answers received and the response rate."""
    links = [r for r in current_records(session, LINKS) if r.payload.get("year") == year]
    issued = _count_by_group(records_frame(links, ["group"]), "issued")
    answered = _count_by_group(records_frame(responses, ["group"]), "answered")
    counts = {row["group"]: row for row in issued.join(answered, on="group", how="full",
                                                       coalesce=True).to_dicts()}  # fmt: skip
    rows = []
    for group in method.stakeholder_groups:
        found = counts.get(group.id, {})
        sent, back = found.get("issued") or 0, found.get("answered") or 0
        rows.append(
            {"id": group.id, "name": group.name(lang), "weight": group.weight,
             "issued": sent, "answered": back, "rate": back / sent if sent else None}
        )  # fmt: skip
    return rows


def _count_by_group(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    if frame.is_empty():
        return pl.DataFrame(schema={"group": pl.String, name: pl.UInt32})
    return frame.group_by("group").agg(pl.len().alias(name))


def responses_behind(
    session: Session, year: int, topic: str, method: Method | None = None
) -> list[dict[str, Any]]:
    """Every response that rated ``topic`` in ``year``: its group, ratings and scores."""
    method = method or load_method()
    answers = answers_frame(year_responses(session, year)).filter(pl.col("topic") == topic)
    if answers.is_empty():
        return []
    ratings = answers.pivot(on="dimension", index=["key", "group"], values="score")
    scores = response_scores(answers, method).select("key", "impact", "financial")
    return ratings.join(scores, on="key").sort("group", "key").to_dicts()


def report_summary(session: Session, year: int) -> dict[str, Any] | None:
    """The report's materiality section, in both languages (None: no assessment that year).

    The report's facts are language-free until rendered, so topic, group and tier names
    and the matrix come in both languages.
    """
    if not year_topics(session, year):
        return None
    both = {lang: assessment(session, year, lang) for lang in ("en", "zh")}
    rows = [
        {**row, "name": {"en": row["name"], "zh": zh["name"]}}
        for row, zh in zip(both["en"].rows, both["zh"].rows, strict=True)
    ]
    groups = [
        {**group, "name": {"en": group["name"], "zh": zh["name"]}}
        for group, zh in zip(both["en"].groups, both["zh"].groups, strict=True)
    ]
    method = both["en"].method
    return {
        "year": year,
        "responses": both["en"].responses,
        "rows": rows,
        "groups": groups,
        "svg": {lang: result.svg for lang, result in both.items()},
        "tiers": [
            {
                "id": t.id,
                "min": t.min,
                "name": {"en": t.name_en, "zh": t.name_zh},
                "label": {"en": f"{t.name_en} ≥ {t.min:g}", "zh": f"{t.name_zh} ≥ {t.min:g}"},
            }
            for t in method.tiers
        ],
        "sources": method.sources,
    }
