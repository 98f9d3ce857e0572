"""A company's own report section and output format.

The section "water pledge" prints the group's fresh water withdrawal under its own
heading; the format ``json`` writes the report's figures as JSON for the group portal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from esgledger.plugins import hookimpl
from esgledger.report.formats import ReportDocument, ReportFormat
from esgledger.report.payload import build_payload
from esgledger.report.sections import ReportSection


def pledge_data(facts: Any, lang: str) -> dict[str, Any]:
    return {"pledge": "Acme withdraws less water every year" if lang == "en" else "节水承诺"}


def portal_json(document: ReportDocument) -> bytes:
    payload = build_payload(document.facts, document.lang)
    return json.dumps({"year": document.facts.year, "report": payload}, default=str).encode()


@hookimpl
def esgledger_report_sections() -> list[ReportSection]:
    return [
        ReportSection(
            id="acme_water_pledge",
            template=Path(__file__).parent / "templates" / "water_pledge.html",
            title={"en": "Our water pledge", "zh": "节水承诺"},
            after="performance",
            data=pledge_data,
        )
    ]


@hookimpl
def esgledger_report_formats() -> list[ReportFormat]:
    return [ReportFormat("json", "figures for the group portal", "application/json", portal_json)]
