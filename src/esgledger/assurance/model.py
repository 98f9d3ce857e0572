"""Engagements and workpaper records as validated data, and the register names.

An engagement is what an assurance provider was engaged to conclude on: a reporting year,
the indicators and entities in scope, the standard (ISAE 3000 for sustainability
information, ISAE 3410 for a greenhouse gas statement) and the level of assurance
(limited or reasonable). Everything the auditor writes lives in the ``assurance.*``
registers; values are never written from here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from esgledger.assurance.sampling import DATA
from esgledger.errors import EsgError

ENGAGEMENTS = "assurance.engagements"
SAMPLES = "assurance.samples"
ITEMS = "assurance.items"
QUERIES = "assurance.queries"
FINDINGS = "assurance.findings"
SIGNOFFS = "assurance.signoffs"
REGISTERS = (ENGAGEMENTS, SAMPLES, ITEMS, QUERIES, FINDINGS, SIGNOFFS)

STANDARDS = ("ISAE 3000", "ISAE 3410")
LEVELS = ("limited", "reasonable")
SEVERITIES = ("low", "medium", "high")
FINDING_STATUSES = ("open", "responded", "closed")
QUERY_STATUSES = ("open", "answered", "closed")
COMMON_UNITS = ("tCO2e", "tce", "MWh", "t", "m3", "CNY")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def refuse(code: str, /, **params: object) -> EsgError:
    """A user's mistake in an assurance request, worded from errors_text/assurance."""
    return EsgError.coded(code, **params)


@cache
def tick_marks() -> dict[str, dict[str, str]]:
    """The tick marks (code: symbol, en, zh) from data/ticks.yaml."""
    return yaml.safe_load((DATA / "ticks.yaml").read_text(encoding="utf-8"))["ticks"]


def tick_label(code: str, lang: str) -> str:
    mark = tick_marks()[code]
    return f"{mark['symbol']} {mark['zh' if lang == 'zh' else 'en']}"


def checked_engagement(
    code: str,
    year: int,
    standard: str,
    level: str,
    entities: list[str],
    indicators: list[str],
    *,
    known_entities: set[str],
    known_indicators: set[str],
    common_unit: str = "tCO2e",
    title: str = "",
) -> dict[str, Any]:
    """The payload of an engagement, every field checked; the first mistake is refused."""
    if not _CODE.match(code):
        raise refuse("workpaper.engagement_code", code=code)
    if not 1990 <= int(year) <= 2100:
        raise refuse("workpaper.year", year=year)
    if standard not in STANDARDS:
        raise refuse("workpaper.standard", standard=standard, known=", ".join(STANDARDS))
    if level not in LEVELS:
        raise refuse("workpaper.level", level=level, known=", ".join(LEVELS))
    if common_unit not in COMMON_UNITS:
        raise refuse("workpaper.common_unit", unit=common_unit, known=", ".join(COMMON_UNITS))
    unknown = sorted(set(entities) - known_entities)
    if unknown or not entities:
        raise refuse("workpaper.entities", unknown=", ".join(unknown) or "-")
    strange = sorted(set(indicators) - known_indicators)
    if strange or not indicators:
        raise refuse("workpaper.indicators", unknown=", ".join(strange[:5]) or "-")
    return {
        "code": code,
        "title": title.strip(),
        "year": int(year),
        "standard": standard,
        "level": level,
        "entities": sorted(set(entities)),
        "indicators": sorted(set(indicators)),
        "common_unit": common_unit,
    }
