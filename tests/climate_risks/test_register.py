"""The register: checked items become ledger records with a history, scoped to entities."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from esgledger.climate_risks.checks import check_item, effect_cny
from esgledger.climate_risks.register import (
    get_item,
    item_history,
    read_items,
    retire_item,
    save_items,
)
from esgledger.errors import NotFoundError, ValidationFailed, render
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.verify import verify_ledger
from tests.climate_risks.items import KNOWN, item


def _codes(raw: dict) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        check_item(raw, KNOWN)
    return [p.code for p in caught.value.problems]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"likelihood": 6}, "climate_risks.off_scale"),
        ({"impact": 0}, "climate_risks.off_scale"),
        ({"metrics": ["ghg.scope9"]}, "climate_risks.unknown_indicator"),
        ({"entities": ["NOPE"]}, "climate_risks.unknown_entity"),
        ({"targets": ["no-such-target"]}, "climate_risks.unknown_target"),
        ({"horizon": "soon"}, "climate_risks.unknown_horizon"),
        ({"category": "physical.volcano"}, "climate_risks.unknown_category"),
        (
            {"anticipated_effect": {"low": 5, "high": 1, "line": "cost_of_sales"}},
            "climate_risks.range_order",
        ),
        (
            {"anticipated_effect": {"low": 1, "high": 5, "currency": "USD", "line": "revenue"}},
            "climate_risks.currency_rate",
        ),
        ({"current_effect": {"low": 1, "high": 5, "line": "profit"}}, "climate_risks.unknown_line"),
        ({"likelihood": "often"}, "climate_risks.field_invalid"),
    ],
)
def test_bad_input_is_named_with_a_coded_problem(changes: dict, code: str) -> None:
    assert _codes(item(**changes)) == [code]


def test_every_problem_reads_in_both_languages() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_item(item(likelihood=9, metrics=["x.y"]), KNOWN)
    zh = caught.value.render("zh")
    assert "超出量表范围" in zh and "不在指标目录中" in zh
    assert "off the scale" in caught.value.render("en")
    assert render("climate_risks.invalid", "zh", key="CR-01", count=2).startswith("气候登记项")


def test_a_foreign_currency_with_a_rate_becomes_cny() -> None:
    checked = check_item(
        item(anticipated_effect={"low": 1, "high": 2, "currency": "USD", "rate_to_cny": 7.1,
                                 "line": "revenue"}), KNOWN,
    )  # fmt: skip
    assert effect_cny(checked.anticipated_effect) == pytest.approx((7.1, 14.2))
    wan = check_item(item(current_effect={"low": 1, "high": 3, "currency": "10^4 CNY",
                                          "line": "revenue"}), KNOWN)  # fmt: skip
    assert effect_cny(wan.current_effect) == (10000, 30000)


def test_saved_items_have_a_history_and_an_audited_seal(database: Engine) -> None:
    first = check_item(item(), KNOWN)
    with unit_of_work(database) as session:
        assert save_items(session, [first], actor="ann") == 1
    with unit_of_work(database) as session:
        assert save_items(session, [first], actor="ann") == 0  # unchanged: nothing written
        save_items(session, [check_item(item(likelihood=5), KNOWN)], actor="bob", reason="ETS")
    with unit_of_work(database) as session:
        history = item_history(session, "CR-01")
        assert [(v.version, v.author, v.payload["likelihood"]) for v in history] == [
            (1, "ann", 4),
            (2, "bob", 5),
        ]
        assert get_item(session, "CR-01").item.likelihood == 5
        assert verify_ledger(session).problem is None


def test_a_reporter_reads_and_writes_only_its_own_entities(database: Engine) -> None:
    smelter = check_item(item(), KNOWN)
    metals = check_item(item(key="CR-02", entities=["METAL"]), KNOWN)
    with unit_of_work(database) as session:
        save_items(session, [smelter, metals], actor="admin")
    with unit_of_work(database) as session:
        assert [s.item.key for s in read_items(session, scope={"SMELT"})] == ["CR-01"]
        with pytest.raises(NotFoundError):
            get_item(session, "CR-02", scope={"SMELT"})
        with pytest.raises(NotFoundError) as refused:
            save_items(session, [metals], actor="rep", scope={"SMELT"})
        assert refused.value.code == "climate_risks.not_your_entity"


def test_a_retired_item_leaves_the_list_and_keeps_its_history(database: Engine) -> None:
    with unit_of_work(database) as session:
        save_items(session, [check_item(item(), KNOWN)], actor="ann")
    with unit_of_work(database) as session:
        retire_item(session, "CR-01", actor="ann", scope=None, reason="merged into CR-05")
    with unit_of_work(database) as session:
        assert read_items(session) == []
        assert [v.retired for v in item_history(session, "CR-01")] == [False, True]


def test_a_text_written_in_one_field_is_read_as_the_language_it_is_in() -> None:
    from esgledger.climate_risks.model import ClimateItem

    chinese = ClimateItem(**item(description="高温导致停工", response="调整作息"))
    assert (chinese.description_zh, chinese.response_zh) == ("高温导致停工", "调整作息")
    assert (chinese.description_en, chinese.response_en) == ("", "")
    english = ClimateItem(**item(response="carbon asset management"))
    assert english.response_en == "carbon asset management" and english.response("zh") == (
        "carbon asset management"
    )
    assert "description" not in english.payload() and "response" not in english.payload()
