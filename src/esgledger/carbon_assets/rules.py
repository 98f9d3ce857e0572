"""The instruments and rules of the register, read from ``data/rules.yaml`` (with sources)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "rules.yaml"


@dataclass(frozen=True)
class Rules:
    """What the register checks: which movements each instrument has, and the limits."""

    kinds: dict[str, tuple[str, ...]]
    units: dict[str, str]
    names: dict[str, dict[str, str]]
    offset_share: float
    mwh_per_certificate: float
    gec_validity_years: int
    scope2_indicator: str


@cache
def rules() -> Rules:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    instruments = raw["instruments"]
    return Rules(
        kinds={code: tuple(spec["kinds"]) for code, spec in instruments.items()},
        units={code: spec["unit"] for code, spec in instruments.items()},
        names={code: spec["name"] for code, spec in instruments.items()},
        offset_share=float(raw["offset_limit"]["share"]),
        mwh_per_certificate=float(raw["gec"]["mwh_per_certificate"]),
        gec_validity_years=int(raw["gec"]["validity_years"]),
        scope2_indicator=str(raw["scope2"]["indicator"]),
    )
