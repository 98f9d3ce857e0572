"""The fuel table: which factor keys convert each energy carrier (``data/carriers.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml
from pydantic import BaseModel, ConfigDict


class Carrier(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    unit: str
    coal_equivalent: str
    fuel: str
    ipcc_ncv_dataset: str
    fossil: bool = True


@cache
def fuel_carriers() -> tuple[Carrier, ...]:
    text = (files("esgledger.engine") / "data" / "carriers.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(text)["carriers"]
    return tuple(Carrier(indicator=key, **spec) for key, spec in table.items())
