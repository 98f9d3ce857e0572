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


def _api_models() -> set[type[BaseModel]]:
    """Every model the API's modules define: its answers and the bodies it reads."""
    import importlib
    import pkgutil

    import esgledger.api

    found: set[type[BaseModel]] = set()
    for module in pkgutil.walk_packages(esgledger.api.__path__, "esgledger.api."):
        for value in vars(importlib.import_module(module.name)).values():
            defined_here = getattr(value, "__module__", "").startswith("esgledger.api")
            if isinstance(value, type) and issubclass(value, BaseModel) and defined_here:
                found.add(value)
    return found


def test_every_time_the_api_answers_carries_its_offset():
    """The ledger stores UTC without a zone; a bare ``datetime`` field would answer
    "2026-12-06T05:21:36", which is not an RFC 3339 date-time (the OpenAPI fuzz test found
    one). Every answered time is ``schemas.UtcDateTime``."""
    from datetime import datetime

    bare = sorted(
        f"{model.__name__}.{name}"
        for model in _api_models()
        for name, field in model.model_fields.items()
        if datetime in (field.annotation, *getattr(field.annotation, "__args__", ()))
        and not any(getattr(m, "func", None) is schemas._utc for m in field.metadata)
    )
    assert bare == []
