"""`esgledger report verify`: recompute a report's numbers from the ledger and compare.

The report's payload names the snapshot (by content hash), the method set, the factor files
(with their SHA-256) and, for every printed number, the value and how it was printed. Verify
recomputes each value from that snapshot, prints it the same way, and compares it with the
payload and with what the document shows, so an edit to either is found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from esgledger.calc.service import run_calculation
from esgledger.engine.methodset import get_method_sets
from esgledger.errors import EsgError
from esgledger.factors import load_factor_sets
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.schema import Snapshot
from esgledger.report.fmt import format_change, format_number, yoy_change
from esgledger.report.methodology import datasets_used, file_digests
from esgledger.report.reading import ReportDocument, read_report

TOLERANCE = 1e-9


@dataclass
class VerifyResult:
    """How many numbers were checked, and every difference found."""

    path: Path
    snapshot_hash: str
    checked: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_report(
    engine: Engine, catalog: Any, path: Path, factor_files: list[Path] | None = None
) -> VerifyResult:
    """Recompute every number of the report at ``path`` (HTML or XLSX) from the ledger."""
    document = read_report(path)
    payload = document.payload
    result = VerifyResult(path, payload["snapshot_hash"])
    files = _factor_files(payload, factor_files, result)
    method_set = get_method_sets(payload["method_set"])[0]
    with unit_of_work(engine) as session:
        snapshot_id = _snapshot_id(session, payload["snapshot_hash"])
        run = run_calculation(
            session,
            catalog,
            [method_set],
            author="verify",
            snapshot_id=snapshot_id,
            years=[int(y) for y in payload["years"]],
            factor_files=files,
        )
    results = run.results[0]
    library = load_factor_sets([*files, *map(Path, method_set.factor_files)] or None)
    used = [[d.name, d.version] for d in datasets_used(results, library, run.years)]
    if used != payload["datasets"]:
        result.differences.append(f"factor datasets: report {payload['datasets']}, now {used}")
    recomputed = _check_values(payload, results, result)
    _check_changes(payload, recomputed, result)
    _check_document(document, payload, result)
    return result


def _factor_files(payload: dict, given: list[Path] | None, result: VerifyResult) -> list[Path]:
    recorded = payload.get("factor_files", [])
    if given is None:
        given = [Path(item["path"]) for item in recorded]
        missing = [str(p) for p in given if not p.is_file()]
        if missing:
            raise EsgError(
                f"the report was built with factor file(s) {', '.join(missing)}, which are not "
                "there; pass them with --factors"
            )
    digests = [d["sha256"] for d in file_digests(given)]
    if digests != [item["sha256"] for item in recorded]:
        result.differences.append(
            "factor files differ from those the report was built with "
            f"({', '.join(item['path'] for item in recorded) or 'none'})"
        )
    return given


def _snapshot_id(session: Session, digest: str) -> int:
    found = session.scalars(select(Snapshot.id).where(Snapshot.content_hash == digest)).first()
    if found is None:
        raise EsgError(
            f"this ledger has no snapshot with hash {digest[:16]}…; verify the report against "
            "the ledger it was built from (--db)"
        )
    return found


def _check_values(payload: dict, results: Any, result: VerifyResult) -> dict[str, float | None]:
    recomputed = {}
    for entry in payload["values"]:
        indicator, target, year = entry["key"].split("|")
        value = results.value(indicator, target, year) if indicator in results.catalog else math.nan
        now = None if math.isnan(value) else value
        recomputed[entry["key"]] = now
        result.checked += 1
        if not _same(entry["value"], now):
            result.differences.append(f"{entry['key']}: report {entry['value']!r}, ledger {now!r}")
        if "text" in entry:
            scaled = now * entry["scale"] if now is not None else None
            text = format_number(scaled, entry["decimals"])
            if text != entry["text"]:
                result.differences.append(
                    f"{entry['key']}: report prints {entry['text']}, ledger gives {text}"
                )
    return recomputed


def _check_changes(payload: dict, recomputed: dict, result: VerifyResult) -> None:
    for entry in payload["changes"]:
        before, after = (recomputed.get(f"{entry['key']}|{y}") for y in entry["years"])
        text = format_change(
            yoy_change(after, before, entry["unit"]), entry["unit"], payload["lang"]
        )
        result.checked += 1
        if text != entry["text"]:
            result.differences.append(
                f"{entry['key']} change: report prints {entry['text']}, ledger gives {text}"
            )


def _check_document(document: ReportDocument, payload: dict, result: VerifyResult) -> None:
    """What the reader sees must be what the payload records."""
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


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def payload_of(path: Path) -> dict[str, Any]:
    """Only the payload of a report (tests and tools compare two builds with it)."""
    return read_report(path).payload
