"""The machine-readable twin of a report: every number it prints, and how it was printed.

The payload is embedded in the HTML (a JSON script block), in the XLSX (a hidden sheet) and
in the PDF (an attached file).
It records, for each printed number, the value, the scale and decimals used to print it and
the printed text, so `verify` can recompute the value from the ledger and print it again the
same way without the report's configuration.
"""

from __future__ import annotations

import json
from typing import Any

from esgledger.report.datablock import FORMAT
from esgledger.report.facts import Cell, ReportFacts, Row
from esgledger.report.fmt import format_change, format_number
from esgledger.report.index import ANNEX


def cell_text(row: Row, value: float | None) -> str:
    """How a row prints a value: scaled, with the row's decimals."""
    return format_number(value * row.scale if value is not None else None, row.decimals)


def build_payload(facts: ReportFacts, lang: str, annex_file: str = "") -> dict[str, Any]:
    """Header (snapshot, method set, datasets, software) and every printed number."""
    rows = [row for table in facts.tables for row in table.data_rows()]
    values = [_value(row, cell) for row in rows for cell in row.cells]
    values += [
        {"key": f"{v.indicator}|{v.boundary}|{v.year}", "value": v.value, "unit": v.unit}
        for v in facts.annex
        if v.table == ANNEX
    ]
    return {
        "format": FORMAT,
        "year": facts.year,
        "years": list(facts.years),
        "lang": lang,
        "snapshot_id": facts.snapshot_id,
        "snapshot_hash": facts.snapshot_hash,
        "registers_as_of": facts.registers_as_of,
        "narrative": [block.pinned() for block in facts.narrative],
        "method_set": facts.method_set.name,
        "factor_files": list(facts.factor_files),
        "datasets": [[d.name, d.version] for d in facts.datasets],
        "software": facts.version,
        "inputs": facts.inputs,
        "annex_file": annex_file,
        "boundary_counts": [facts.affiliate_count, facts.facility_count],
        "values": values,
        "changes": [_change(row, lang) for row in rows if len(row.cells) > 1],
        "charts": facts.charts,
        "goals": [_goal(goal) for goal in facts.goals],
    }


def _goal(goal: Any) -> dict[str, Any]:
    """A target as printed: what, how much, by when, the latest value and its status."""
    return {name: getattr(goal, name) for name in _GOAL_FIELDS}


_GOAL_FIELDS = (
    "id",
    "indicator",
    "scope",
    "kind",
    "sign",
    "value",
    "unit",
    "target_year",
    "base_year",
    "latest_year",
    "latest_value",
    "status",
)


def _value(row: Row, cell: Cell) -> dict[str, Any]:
    return {
        "key": cell.key,
        "value": cell.value,
        "unit": row.unit,
        "scale": row.scale,
        "decimals": row.decimals,
        "text": cell_text(row, cell.value),
    }


def _change(row: Row, lang: str) -> dict[str, Any]:
    return {
        "key": f"{row.indicator}|{row.boundary}",
        "years": [row.cells[-2].year, row.cells[-1].year],
        "unit": row.unit,
        "text": format_change(row.change, row.unit, lang),
    }


def payload_json(payload: dict[str, Any]) -> str:
    """JSON safe inside an HTML script element (no ``</`` can close it early)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/")


def numbers_only(payload: dict[str, Any]) -> dict[str, Any]:
    """The part of a payload that must not change between two builds of one snapshot."""
    return {
        "snapshot_hash": payload["snapshot_hash"],
        "values": {v["key"]: v["value"] for v in payload["values"]},
        "texts": {v["key"]: v.get("text") for v in payload["values"]},
        "changes": {c["key"]: c["text"] for c in payload["changes"]},
    }
