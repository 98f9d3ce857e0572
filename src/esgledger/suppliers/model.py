"""Questionnaires and the scoring method as data (``data/*.yaml``, sources cited there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from esgledger.errors import EsgError

KINDS = ("admission", "evaluation", "footprint", "spend")


@dataclass(frozen=True)
class Option:
    id: str
    points: float | None  # None: "not applicable", left out of the area's maximum
    texts: dict[str, str]


@dataclass(frozen=True)
class Question:
    """One question; ``columns`` are the cells of a ``lines`` question's rows."""

    id: str
    kind: str
    texts: dict[str, str]
    area: str | None = None
    essential: bool = False
    optional: bool = False
    options: tuple[Option, ...] = ()
    columns: tuple[Question, ...] = ()
    rows: int = 0

    def text(self, lang: str) -> str:
        return self.texts[lang]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: dict[str, str]
    intro: dict[str, str]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def _question(raw: dict[str, Any]) -> Question:
    return Question(
        id=raw["id"],
        kind=raw["kind"],
        texts={"zh": raw["zh"], "en": raw["en"]},
        area=raw.get("area"),
        essential=bool(raw.get("essential")),
        optional=bool(raw.get("optional")),
        options=tuple(
            Option(o["id"], o.get("points"), {"zh": str(o["zh"]), "en": str(o["en"])})
            for o in raw.get("options", ())
        ),
        columns=tuple(_question(c) for c in raw.get("columns", ())),
        rows=int(raw.get("rows", 0)),
    )


def _data(name: str) -> dict[str, Any]:
    text = (files("esgledger.suppliers") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def questionnaires() -> dict[str, Questionnaire]:
    """The four questionnaires by id (admission, evaluation, footprint, spend)."""
    raw = _data("questionnaires.yaml")["questionnaires"]
    return {
        qid: Questionnaire(qid, q["title"], q["intro"], tuple(_question(x) for x in q["questions"]))
        for qid, q in raw.items()
    }


def questionnaire(kind: str) -> Questionnaire:
    """Raises: EsgError ``supplier_q.unknown_kind`` naming the kinds there are."""
    found = questionnaires().get(kind)
    if found is None:
        raise EsgError.coded("supplier_q.unknown_kind", kind=kind, known=", ".join(KINDS))
    return found


@cache
def units() -> dict[str, dict[str, str]]:
    """The units a supplier may choose for a product, with their names in each language."""
    data = _data("questionnaires.yaml")
    return {unit: data["unit_names"][unit] for unit in data["units"]}


@dataclass(frozen=True)
class Scoring:
    """Area weights per questionnaire, admission cut-offs and the classes (scoring.yaml)."""

    source: str
    scale: float
    areas: dict[str, dict[str, str]]
    weights: dict[str, dict[str, float]]
    approve: float
    conditional: float
    onsite_categories: tuple[str, ...]
    classes: tuple[tuple[str, float], ...]
    exit: str


@cache
def scoring() -> Scoring:
    raw = _data("scoring.yaml")
    return Scoring(
        source=raw["source"],
        scale=float(raw["scale"]),
        areas=raw["areas"],
        weights=raw["weights"],
        approve=float(raw["admission"]["approve"]),
        conditional=float(raw["admission"]["conditional"]),
        onsite_categories=tuple(raw["admission"]["onsite_categories"]),
        classes=tuple((c["id"], float(c["min"])) for c in raw["classes"]),
        exit=raw["exit"],
    )
