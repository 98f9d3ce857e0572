"""LEC scores on the method's scales, graded into the four colours of the risk map."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import yaml

from esgledger.errors import EsgError
from esgledger.safety.lec import grade_column, lec_method, lec_score

CASES = yaml.safe_load((Path(__file__).parent / "scenarios" / "lec.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_hand_worked_scores_and_grades(case):
    score, grade = lec_score(case["l"], case["e"], case["c"])
    assert score == Decimal(case["score"])
    assert grade.id == case["grade"]


@pytest.mark.parametrize(
    ("score", "grade"),
    [("320", "orange"), ("320.1", "red"), ("160", "yellow"), ("160.5", "orange"), ("70", "blue")],
)
def test_a_band_edge_belongs_to_the_lower_band(score, grade):
    assert lec_method().grade_of(Decimal(score)).id == grade


def test_the_column_grading_agrees_with_the_single_one():
    scores = [Decimal(s) for s in ("420", "320", "270", "160", "126", "70", "1.8")]
    frame = pl.DataFrame({"d": [float(s) for s in scores]})
    by_column = frame.select(grade_column(pl.col("d"))).to_series().to_list()
    assert by_column == [lec_method().grade_of(s).id for s in scores]


@pytest.mark.parametrize(
    ("factor", "values"), [("L", (4, 6, 15)), ("E", (3, 7, 15)), ("C", (3, 6, 50))]
)
def test_a_value_off_its_scale_is_refused_in_both_languages(factor, values):
    with pytest.raises(EsgError) as raised:
        lec_score(*values)
    error = raised.value
    assert error.code == "safety_mgmt.lec_off_scale"
    assert error.params["factor"] == factor
    assert "LEC" in error.render("en") and "分值表" in error.render("zh")


def test_every_scale_value_has_both_languages_and_the_grades_are_ordered():
    method = lec_method()
    for scale in method.scales.values():
        assert all(set(text) == {"en", "zh"} for text in scale.values())
    bounds = [g.above for g in method.grades if g.above is not None]
    assert bounds == sorted(bounds, reverse=True) and method.grades[-1].above is None
