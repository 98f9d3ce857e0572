"""LEC risk scoring: D = L x E x C on the method's fixed scales, graded into four colours.

The scales and the grade bands are data (``data/lec.yaml``, with their sources): a score
must be one of the scale's values, as the method prescribes, not any number in its range.
Scores are computed exactly (``Decimal``) so a band edge (D = 320) falls where the table says.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from typing import Any

import polars as pl
import yaml

from esgledger.errors import ErrorKind, EsgError

FACTORS = ("L", "E", "C")


@dataclass(frozen=True)
class Grade:
    id: str
    above: Decimal | None
    colour: str
    name: dict[str, str]


@dataclass(frozen=True)
class LecMethod:
    scales: dict[str, dict[Decimal, dict[str, str]]]
    names: dict[str, dict[str, str]]
    grades: tuple[Grade, ...]

    def grade_of(self, score: Decimal) -> Grade:
        """The first grade (from the highest) whose lower bound the score exceeds."""
        for grade in self.grades:
            if grade.above is None or score > grade.above:
                return grade
        raise EsgError("lec.yaml: the lowest grade must have no lower bound", kind=ErrorKind.BUG)

    def grade(self, grade_id: str) -> Grade:
        return next(grade for grade in self.grades if grade.id == grade_id)


@lru_cache(maxsize=1)
def lec_method() -> LecMethod:
    """The LEC scales and grades of ``data/lec.yaml``."""
    raw: dict[str, Any] = yaml.safe_load(
        (files("esgledger.safety") / "data" / "lec.yaml").read_text(encoding="utf-8")
    )
    scales = {
        factor: {Decimal(value): text for value, text in spec["values"].items()}
        for factor, spec in raw["scales"].items()
    }
    names = {factor: spec["name"] for factor, spec in raw["scales"].items()}
    grades = tuple(
        Grade(
            g["id"],
            None if g["above"] is None else Decimal(str(g["above"])),
            g["colour"],
            g["name"],
        )
        for g in raw["grades"]
    )
    return LecMethod(scales, names, grades)


def scale_value(factor: str, value: object) -> Decimal:
    """``value`` as a value of the ``factor`` scale; a value the scale lacks is refused."""
    scale = lec_method().scales[factor]
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        number = None
    if number is None or number not in scale:
        allowed = ", ".join(format(v.normalize(), "f") for v in sorted(scale, reverse=True))
        raise EsgError(
            f"{factor} = {value} is not on the LEC {factor} scale; use one of {allowed}",
            code="safety_mgmt.lec_off_scale",
            params={"factor": factor, "value": value, "allowed": allowed},
        )
    return number


def lec_score(l_value: object, e_value: object, c_value: object) -> tuple[Decimal, Grade]:
    """D = L x E x C and its grade, each factor checked against its scale."""
    score = scale_value("L", l_value) * scale_value("E", e_value) * scale_value("C", c_value)
    return score.normalize(), lec_method().grade_of(score)


def grade_column(scores: pl.Expr) -> pl.Expr:
    """The grade id of each score in a column, from the same bands as :func:`lec_score`."""
    grades = lec_method().grades
    expression = pl.lit(grades[-1].id)
    for grade in reversed(grades[:-1]):
        expression = (
            pl.when(scores > float(grade.above)).then(pl.lit(grade.id)).otherwise(expression)
        )
    return expression
