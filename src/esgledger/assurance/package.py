"""The assurance package: one ZIP with what an engagement concluded on and how to re-check it.

Contents (see docs/assurance.md for the procedure a third party follows):

- ``engagement.json``; ``values.csv`` (the current values in scope) and ``revisions.csv``
  (every revision of them, with its changeset: who, when, why, from which file and row);
- ``lineage.json``: for each value, the revision that first entered it and its source file,
  sheet and row (what the engine's explain shows for an input);
- ``workpapers/*.json``: samples, tick marks, queries and answers, findings, sign-offs;
- ``evidence/``: the files behind the values (register ``evidence.links``), by SHA-256;
- ``audit/extract.csv``: the audit entries about the scope's entities and the engagement;
- ``manifest.json`` (SHA-256 of each file above), ``audit/chain.jsonl`` (the whole audit log
  up to the export's own entry, which commits to the manifest), ``proof.json`` (head, signed
  checkpoint when a key is set) and ``verify_package.py`` (:mod:`.proof`, standard library).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.assurance import proof
from esgledger.assurance.engagements import engagement, of_engagement, require_assurer
from esgledger.assurance.model import (
    FINDINGS,
    ITEMS,
    QUERIES,
    SAMPLES,
    refuse,
)
from esgledger.assurance.population import KEY, current_of, scope_evidence
from esgledger.assurance.signoff import signoff_states
from esgledger.auth.service import Principal
from esgledger.errors import EsgError
from esgledger.ledger import checkpoint
from esgledger.ledger.files import read_file
from esgledger.ledger.reads.audit_log import AuditFilter, audit_entries
from esgledger.ledger.reads.revision_history import revision_history
from esgledger.ledger.records import RecordChange, append_record
from esgledger.spreadsheet_cells import csv_text

EXPORTS = proof.EXPORTS_REGISTER
FORMAT = "esgledger-assurance-package/1"
VERIFY_TEXT = """# Verifying this assurance package

Run `python3 verify_package.py THIS.zip` (Python 3.11+, nothing else needed). It checks that
every file matches manifest.json, that audit/chain.jsonl is an unbroken SHA-256 chain, that
an entry of that chain commits to the manifest's SHA-256, and that proof.json names the
chain's head. Then compare the head (proof.json: head_id, head_hash) with the group's live
audit log (`esgledger audit verify`; the audit page shows each entry's hash) or check the
signed checkpoint in proof.json with the group's key.
"""


def build_package(session: Session, principal: Principal, code: str, files_root: Path) -> bytes:
    """The package of engagement ``code`` as ZIP bytes; records its export in the ledger."""
    require_assurer(principal, EXPORTS)
    payload = engagement(session, code).payload
    history = revision_history(
        session,
        entities=payload["entities"],
        indicators=payload["indicators"],
        years=[int(payload["year"])],
    )
    files: dict[str, bytes] = {"engagement.json": _json(payload)}
    files.update(_values_files(history))
    files.update(_workpaper_files(session, code))
    files.update(_evidence_files(session, history, files_root))
    files["audit/extract.csv"] = _audit_extract(session, payload["entities"], principal)
    manifest = _json({"format": FORMAT, "engagement": code, "files": _digests(files)})
    manifest_sha = hashlib.sha256(manifest).hexdigest()
    change = RecordChange(f"{code}|{manifest_sha}", {"engagement": code, "files": len(files)})
    append_record(session, EXPORTS, change, actor=principal.username, action="assurance.export")
    chain, head = _chain(session)
    signed = checkpoint.current(session, checkpoint.signing_key())
    proof_text = {
        "head_id": head["id"],
        "head_hash": head["entry_hash"],
        "manifest_sha256": manifest_sha,
        "checkpoint": json.loads(signed.to_json()) if signed else None,
    }
    files.update({proof.MANIFEST: manifest, proof.CHAIN: chain, proof.PROOF: _json(proof_text)})
    files["verify_package.py"] = Path(proof.__file__).read_bytes()
    files["VERIFY.md"] = VERIFY_TEXT.encode("utf-8")
    return _zip(files)


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode()


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


def _csv(frame: pl.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([csv_text("" if cell is None else str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


def _values_files(history: pl.DataFrame) -> dict[str, bytes]:
    current = (
        current_of(history).filter(~pl.col("is_tombstone")).sort(["entity", "indicator", "period"])
    )
    values = current.select(
        "entity",
        "period",
        "indicator",
        "revision_id",
        "value",
        "unit",
        "canonical_value",
        "canonical_unit",
        "status",
        "restatement",
        "revisions",
        "content_hash",
    )
    origins = history.select(
        origin_key=pl.col("revision_id"),
        source_file=pl.col("source_file"),
        source_sha256=pl.col("source_sha256"),
        source_sheet=pl.col("source_sheet"),
        source_row=pl.col("source_row"),
        entered_by=pl.col("author"),
        entered_at=pl.col("created_at"),
    )
    lineage = current.with_columns(origin_key=pl.coalesce("origin_id", "revision_id")).select(
        "entity", "period", "indicator", "revision_id", "origin_key"
    )
    lineage = lineage.join(origins, on="origin_key", how="left").rename({"origin_key": "origin_id"})
    return {
        "values.csv": _csv(values),
        "revisions.csv": _csv(history),
        "lineage.json": _json(lineage.to_dicts()),
    }


def _workpaper_files(session: Session, code: str) -> dict[str, bytes]:
    files = {}
    for register, name in (
        (SAMPLES, "samples"),
        (ITEMS, "ticks"),
        (QUERIES, "queries"),
        (FINDINGS, "findings"),
    ):
        records = of_engagement(session, register, code)
        files[f"workpapers/{name}.json"] = _json([_record(r) for r in records])
    states = [
        {**_record(s["record"]), "stale": s["stale"], "changed_periods": s["changed_periods"]}
        for s in signoff_states(session, code)
    ]
    files["workpapers/signoffs.json"] = _json(states)
    return files


def _record(record: Any) -> dict[str, Any]:
    return {
        "key": record.key,
        "version": record.version,
        "author": record.author,
        "recorded_at": record.recorded_at,
        **record.payload,
    }


def _evidence_files(session: Session, history: pl.DataFrame, root: Path) -> dict[str, bytes]:
    """The evidence files of the values in scope (own or their imports'), by SHA-256."""
    links = scope_evidence(session, history).sort([*KEY, "sha256"])
    files = {}
    for sha256, name in links.select("sha256", "name").unique().iter_rows():
        try:
            _, data = read_file(session, root, sha256)
        except EsgError as exc:
            raise refuse("workpaper.evidence_missing", name=name, why=str(exc)) from exc
        files[f"evidence/{sha256}"] = data
    files["evidence/index.json"] = _json(links.to_dicts())
    return files


def _audit_extract(session: Session, entities: list[str], principal: Principal) -> bytes:
    found: dict[int, Any] = {}
    for entity in entities:
        for entry in audit_entries(session, AuditFilter(entity=entity)):
            found[entry.id] = entry
    rows = [
        (e.id, e.at.isoformat(), e.actor, e.action, e.detail, e.entry_hash)
        for _, e in sorted(found.items())
    ]
    frame = pl.DataFrame(
        rows, schema=["id", "at", "actor", "action", "detail", "entry_hash"], orient="row"
    )
    return _csv(frame)


def _chain(session: Session) -> tuple[bytes, dict[str, Any]]:
    """Every audit entry, oldest first, with all fields its hash covers."""
    lines, head = [], {}
    for entry in sorted(audit_entries(session, AuditFilter()), key=lambda e: e.id):
        head = {
            "id": entry.id,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "detail": entry.detail,
            "prev_hash": entry.prev_hash,
            "seal": entry.seal,
            "entry_hash": entry.entry_hash,
        }
        lines.append(json.dumps(head, ensure_ascii=False, sort_keys=True))
    return ("\n".join(lines) + "\n").encode("utf-8"), head


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
