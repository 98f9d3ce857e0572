"""What a user sends: true/false is never read as the number 1 or 0."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from esgledger.inputs import InputModel
from esgledger.pathways.scenario import Growth


class _Body(InputModel):
    year: int
    share: float | None = None
    score: int | str = 0
    confirmed: bool = False
    flag_or_count: bool | int = 0


@pytest.mark.parametrize("field", ["year", "share", "score"])
@pytest.mark.parametrize("boolean", [True, False])
def test_a_boolean_is_refused_where_a_number_is_expected(field, boolean):
    with pytest.raises(ValidationError) as refused:
        _Body(**{"year": 2024, field: boolean})
    assert refused.value.errors()[0]["loc"] == (field,)
    assert f"not {str(boolean).lower()}" in str(refused.value)


def test_numbers_and_declared_booleans_still_pass():
    body = _Body(year=2024, share=0.5, score="3", confirmed=True, flag_or_count=True)
    assert (body.year, body.share, body.score, body.confirmed, body.flag_or_count) == (
        2024, 0.5, "3", True, True,
    )  # fmt: skip


def test_a_scenario_file_saying_yes_for_a_rate_is_refused():
    with pytest.raises(ValidationError, match="not true"):
        Growth(segment="smelting", rate_pct=True)
