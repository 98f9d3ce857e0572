"""Build a small calculation from plain Python data: entities, inputs, a method set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from esgledger.catalog import load_catalog
from esgledger.engine.arrays.cube import OBSERVATION_SCHEMA
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.results import Results
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from esgledger.org import Entity, OrgTree


def org_of(entities: list[dict[str, Any]]) -> OrgTree:
    defaults = {"name_en": "x", "name_zh": "测试", "kind": "subsidiary"}
    return OrgTree(
        [Entity.model_validate({**defaults, "name_en": e["code"], **e}) for e in entities]
    )


def observations_of(inputs: dict[str, dict[str, Any]], period: str) -> pl.DataFrame:
    """``{entity: {indicator: value or {period: value}}}`` as an observations frame."""
    rows = []
    for entity, values in inputs.items():
        for indicator, value in values.items():
            single = not isinstance(value, dict) or "value" in value
            by_period = {period: value} if single else value
            for when, amount in by_period.items():
                quality = None
                if isinstance(amount, dict):
                    amount, quality = amount["value"], amount.get("quality")
                rows.append(
                    (
                        entity,
                        str(when),
                        indicator,
                        float(amount),
                        len(rows) + 1,
                        quality,
                        f"case row {len(rows) + 1}",
                    )
                )
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")


def run_case(case: dict[str, Any], folder: Path) -> Results:
    factor_files = [folder.parent / "factor_files" / name for name in case.get("factor_files", [])]
    method_set = get_method_sets(case.get("method_set", "cn-default"))[0]
    if "method_options" in case:
        method_set = method_set.model_copy(update=case["method_options"])
    periods = [str(p) for p in case.get("periods", [case["period"]])]
    return calculate(
        observations_of(case["input"], str(case["period"])),
        org_of(case["entities"]),
        load_catalog(),
        load_factor_sets(factor_files or None),
        method_set,
        periods,
    )
