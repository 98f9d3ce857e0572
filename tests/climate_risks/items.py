"""A valid register item to vary in tests, and the references it may name."""

from __future__ import annotations

from esgledger.climate_risks.checks import Known

KNOWN = Known(
    entities={"GRP", "SMELT", "METAL"},
    indicators={"ghg.scope1", "energy.total"},
    targets={"ghg-intensity-key-entities"},
)


def item(**changes: object) -> dict:
    fields = {
        "key": "CR-01",
        "category": "transition.policy_legal",
        "title_en": "Carbon market expansion",
        "title_zh": "碳市场扩围",
        "entities": ["SMELT"],
        "assets": ["electrolysis line"],
        "horizon": "medium",
        "likelihood": 4,
        "impact": 3,
        "current_effect": {"low": 0, "high": 0, "line": "cost_of_sales"},
        "anticipated_effect": {"low": 1e6, "high": 5e6, "currency": "CNY", "line": "cost_of_sales"},
        "response": "carbon asset management",
        "owner": "Energy department",
        "metrics": ["ghg.scope1"],
        "targets": ["ghg-intensity-key-entities"],
    }
    fields.update(changes)
    return fields
