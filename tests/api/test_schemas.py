"""The small pieces the routers share: period fields, upload names, status counts."""

from __future__ import annotations

import doctest

import pytest
from pydantic import BaseModel, ValidationError

from esgledger.api import schemas
from esgledger.api.routers.review import StatusCounts
from esgledger.ledger.revisions import STATUSES


class Body(BaseModel):
    period: schemas.PeriodText


def test_the_docstring_examples_hold():
    assert doctest.testmod(schemas).failed == 0


@pytest.mark.parametrize(
    ("given", "stored"), [("2024", "2024"), ("2024-3", "2024-03"), ("2024q2", "2024-Q2")]
)
def test_periods_are_normalised_at_the_edge(given, stored):
    assert Body(period=given).period == stored


@pytest.mark.parametrize("given", ["", "2024-13", "0000", "9999", "24", "2024-Q5"])
def test_impossible_periods_are_validation_errors_not_crashes(given):
    with pytest.raises(ValidationError, match="is not a period"):
        Body(period=given)


def test_a_year_selects_its_quarters_and_months():
    found = schemas.expand_periods(["2024"])
    assert found[:5] == ["2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert found[5:] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert schemas.expand_periods(None) is None


def test_the_status_counts_name_every_status():
    assert set(StatusCounts.model_fields) == set(STATUSES)
