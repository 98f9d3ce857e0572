"""`esgledger report verify`: rebuild a report from the ledger and compare it with the file.

The report's data block names everything the document was made from: the snapshot (by
content hash), the method set, the factor files, the layout, the company templates and
the targets file (each with its SHA-256), the language. Verify computes the same snapshot
again, renders the same document and compares the two:

- the data blocks, key by key (every printed value, how it was printed, the year-on-year
  changes, chart rows, targets and their status), for messages that name the figure;
- the documents themselves, unit by unit (:mod:`esgledger.report.compare`): every text
  run, label, unit, status, index entry, chart mark and spreadsheet cell, or every line of
  a PDF page, so that nothing printed escapes the check;
- what the page shows against its own data block, for an edit made to only one of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

import esgledger
from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.snapshots import snapshot_id_with_hash
from esgledger.report.build import render_outputs
from esgledger.report.compare import differences, html_units, pdf_units, xlsx_units
from esgledger.report.config import load_config
from esgledger.report.inputs import BuildInputs, recorded_inputs
from esgledger.report.methodology import file_digests
from esgledger.report.payload import build_payload
from esgledger.report.prepare import ReportRequest, prepare
from esgledger.report.reading import ReportDocument, pdf_pages, read_report

TOLERANCE = 1e-9


@dataclass
class VerifyResult:
    """How many numbers and document units were checked, and every difference found."""

    path: Path
    snapshot_hash: str
    checked: int = 0
    units: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_report(
    database: Engine,
    catalog: Catalog,
    path: Path,
    factor_files: list[Path] | None = None,
    inputs: BuildInputs | None = None,
) -> VerifyResult:
    """Rebuild the report at ``path`` (HTML, PDF or XLSX) from the ledger and compare."""
    document = read_report(path)
    payload = document.payload
    result = VerifyResult(path, payload["snapshot_hash"])
    if payload.get("software") != esgledger.__version__:
        result.notes.append(
            f"built with esgledger {payload.get('software')}, verified with "
            f"{esgledger.__version__}: wording may differ between versions"
        )
    files = _factor_files(payload, factor_files, result)
    used = recorded_inputs(payload.get("inputs"), inputs or BuildInputs(), result.differences)
    config = load_config(used.config)
    with unit_of_work(database) as session:
        request = ReportRequest(
            year=int(payload["year"]),
            snapshot_id=_snapshot_id(session, payload["snapshot_hash"]),
            method_set=payload["method_set"],
            factor_files=tuple(files),
            author="verify",
            targets_file=used.targets,
            published_file=used.published,
            registers_as_of=_registers_as_of(payload),
        )
        facts = prepare(session, catalog, request, config)
    facts.inputs = payload.get("inputs") or {}
    lang, fmt = payload["lang"], _format(path)
    # The HTML and PDF name the annex file when the build wrote one beside them.
    formats = [fmt, "xlsx"] if payload.get("annex_file") else [fmt]
    rebuilt = render_outputs(facts, config, lang, formats, catalog, used.templates)[fmt]
    _check_payload(payload, build_payload(facts, lang, payload.get("annex_file", "")), result)
    _check_page_against_data(document, payload, result)
    _check_document(document, fmt, rebuilt, result)
    return result


def _format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return "html" if suffix == "htm" else suffix


def _factor_files(payload: dict, given: list[Path] | None, result: VerifyResult) -> list[Path]:
    recorded = payload.get("factor_files", [])
    if given is None:
        given = [Path(item["path"]) for item in recorded]
        missing = [str(p) for p in given if not p.is_file()]
        if missing:
            raise EsgError.coded("report_file.factors_missing", missing=", ".join(missing))
    digests = [d["sha256"] for d in file_digests(given)]
    if digests != [item["sha256"] for item in recorded]:
        result.differences.append(
            "factor files differ from those the report was built with "
            f"({', '.join(item['path'] for item in recorded) or 'none'})"
        )
    return given


def _registers_as_of(payload: dict) -> datetime | None:
    """The moment the report read its registers as of (reports made before it was
    recorded read them as of their snapshot)."""
    recorded = payload.get("registers_as_of")
    return datetime.fromisoformat(recorded) if recorded else None


def _snapshot_id(session: Session, digest: str) -> int:
    found = snapshot_id_with_hash(session, digest)
    if found is None:
        raise EsgError.coded("report_file.no_snapshot", digest=digest[:16])
    return found


def _check_payload(payload: dict, rebuilt: dict, result: VerifyResult) -> None:
    """Every printed value, change, chart row and target of the data block, by its key."""
    now = {v["key"]: v for v in rebuilt["values"]}
    for entry in payload["values"]:
        result.checked += 1
        fresh = now.pop(entry["key"], None)
        if fresh is None:
            result.differences.append(f"{entry['key']}: in the report, not in the ledger's")
            continue
        if not _same(entry["value"], fresh["value"]):
            result.differences.append(
                f"{entry['key']}: report {entry['value']!r}, ledger {fresh['value']!r}"
            )
        for name in ("text", "unit"):
            if entry.get(name) != fresh.get(name):
                result.differences.append(
                    f"{entry['key']}: report prints {name} {entry.get(name)!r}, ledger gives "
                    f"{fresh.get(name)!r}"
                )
    result.differences += [f"{key}: the ledger gives a value the report lacks" for key in now]
    changes = {c["key"]: c["text"] for c in rebuilt["changes"]}
    for entry in payload["changes"]:
        result.checked += 1
        if changes.get(entry["key"]) != entry["text"]:
            result.differences.append(
                f"{entry['key']} change: report prints {entry['text']}, ledger gives "
                f"{changes.get(entry['key'])}"
            )
    names = ("datasets", "charts", "goals", "boundary_counts", "method_set", "years", "narrative")
    for name in names:
        result.checked += 1
        if payload.get(name) != rebuilt.get(name):
            result.differences.append(
                f"{name}: report {_short(payload.get(name))}, ledger {_short(rebuilt.get(name))}"
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _check_page_against_data(document: ReportDocument, payload: dict, result: VerifyResult) -> None:
    """What the reader sees must be what the data block records."""
    texts = {v["key"]: v.get("text") for v in payload["values"]}
    values = {v["key"]: v["value"] for v in payload["values"]}
    changes = {c["key"]: c["text"] for c in payload["changes"]}
    for key, shown in document.shown.items():
        if texts.get(key) != shown:
            result.differences.append(
                f"{key}: the page shows {shown}, the data block {texts.get(key)}"
            )
    for key, shown in document.changes.items():
        if changes.get(key) != shown:
            result.differences.append(
                f"{key} change: the page shows {shown}, the data block {changes.get(key)}"
            )
    for key, cell in document.cells.items():
        if not _same(values.get(key), cell):
            result.differences.append(
                f"{key}: the workbook holds {cell!r}, the data block {values.get(key)!r}"
            )


def _check_document(
    document: ReportDocument, fmt: str, rebuilt: bytes, result: VerifyResult
) -> None:
    """The whole document against the rebuilt one: every label, unit, status and mark."""
    if fmt == "html":
        found, fresh = html_units(document.text), html_units(rebuilt.decode("utf-8"))
    elif fmt == "xlsx":
        found, fresh = xlsx_units(document.content), xlsx_units(rebuilt)
    else:
        found, fresh = pdf_units(document.pages), pdf_units(pdf_pages(rebuilt))
    result.units = len(found)
    result.differences += differences(found, fresh)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def payload_of(path: Path) -> dict[str, Any]:
    """Only the payload of a report (tests and tools compare two builds with it)."""
    return read_report(path).payload
