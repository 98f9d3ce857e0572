"""Checking an assurance package without esgledger: the procedure a third party runs.

This module uses Python's standard library only; the package carries a copy of it as
``verify_package.py`` so that an auditor's reviewer or a regulator can run
``python3 verify_package.py package.zip`` on any machine. It checks, in order:

1. every file listed in ``manifest.json`` is in the ZIP with the SHA-256 the manifest gives,
   and the ZIP holds no other file but the proof's own (``PROOF_FILES``);
2. ``audit/chain.jsonl`` is an unbroken hash chain: each entry's SHA-256 over the JSON array
   ``[id, at, actor, action, detail, prev_hash(, seal)]`` equals its ``entry_hash``, each
   ``prev_hash`` is the entry before's hash (the first entry of the log: 64 zeros) and the
   ids follow one another;
3. the chain holds the export's own entry: an entry of the register ``assurance.exports``
   whose record key ends with the SHA-256 of ``manifest.json``: the ledger's audit log
   itself committed to the manifest, hence to every file;
4. ``proof.json`` names the chain's last entry (id and hash) as the head.

A package rebuilt whole by a forger passes these steps on its own; what anchors it is the
head: the head hash must be entry ``head_id`` of the group's live log (``esgledger audit
verify`` recomputes that log; the audit page shows each entry's hash), or match the signed
checkpoint in ``proof.json`` (HMAC key held by the group).
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

GENESIS = "0" * 64
MANIFEST = "manifest.json"
CHAIN = "audit/chain.jsonl"
PROOF = "proof.json"
PROOF_FILES = (MANIFEST, CHAIN, PROOF, "verify_package.py", "VERIFY.md")
EXPORTS_REGISTER = "assurance.exports"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash(entry: dict) -> str:
    """The hash the ledger gives an audit entry (esgledger.ledger.audit.entry_hash)."""
    fields = [
        entry["id"],
        entry["at"],
        entry["actor"],
        entry["action"],
        entry["detail"],
        entry["prev_hash"],
    ]
    if entry.get("seal") is not None:
        fields.append(entry["seal"])
    return _sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8"))


def check_files(archive: zipfile.ZipFile) -> list[str]:
    """Step 1: the manifest's files, each with its hash, and nothing else."""
    manifest = json.loads(archive.read(MANIFEST))
    problems = []
    names = set(archive.namelist())
    for name, digest in manifest["files"].items():
        if name not in names:
            problems.append(f"{name}: listed in the manifest but missing from the package")
        elif _sha256(archive.read(name)) != digest:
            problems.append(f"{name}: its content does not match the manifest's SHA-256")
    for name in sorted(names - set(manifest["files"]) - set(PROOF_FILES)):
        problems.append(f"{name}: in the package but not in the manifest")
    return problems


def check_chain(entries: list[dict]) -> list[str]:
    """Step 2: every entry hashes to its entry_hash and links to the one before."""
    if not entries:
        return ["the audit chain is empty"]
    problems = []
    if entries[0]["id"] == 1 and entries[0]["prev_hash"] != GENESIS:
        problems.append("entry 1 does not start from the genesis hash")
    previous = None
    for entry in entries:
        if previous is not None:
            if entry["id"] != previous["id"] + 1:
                problems.append(f"entry {previous['id'] + 1} is missing before {entry['id']}")
            if entry["prev_hash"] != previous["entry_hash"]:
                problems.append(
                    f"entry {entry['id']}: its link to entry {previous['id']} is broken"
                )
        if entry_hash(entry) != entry["entry_hash"]:
            problems.append(f"entry {entry['id']}: its content no longer matches its hash")
        previous = entry
    return problems


def check_anchor(entries: list[dict], manifest_sha: str, proof: dict) -> list[str]:
    """Steps 3 and 4: the chain commits to the manifest, and the proof names its head."""
    problems = []
    committed = False
    for entry in entries:
        detail = json.loads(entry["detail"]) if entry["detail"].startswith("{") else {}
        if detail.get("register") == EXPORTS_REGISTER:
            committed |= any(key.endswith(manifest_sha) for key in detail.get("records", []))
    if not committed:
        problems.append("no entry of the audit chain commits to this manifest's SHA-256")
    head = entries[-1] if entries else {}
    if proof.get("head_id") != head.get("id") or proof.get("head_hash") != head.get("entry_hash"):
        problems.append("proof.json does not name the chain's last entry as its head")
    return problems


def verify_package(path: str | Path) -> list[str]:
    """Every problem found in the package at ``path`` (none: it verifies)."""
    with zipfile.ZipFile(path) as archive:
        missing = [name for name in (MANIFEST, CHAIN, PROOF) if name not in archive.namelist()]
        if missing:
            return [f"{name}: missing from the package" for name in missing]
        problems = check_files(archive)
        lines = archive.read(CHAIN).decode("utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        problems += check_chain(entries)
        proof = json.loads(archive.read(PROOF))
        problems += check_anchor(entries, _sha256(archive.read(MANIFEST)), proof)
    return problems


def main(argv: list[str]) -> int:
    """``python3 verify_package.py PACKAGE.zip``: prints the verdict, exits 1 on a problem."""
    if len(argv) != 2:
        print("usage: python3 verify_package.py PACKAGE.zip")
        return 2
    problems = verify_package(argv[1])
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        with zipfile.ZipFile(argv[1]) as archive:
            proof = json.loads(archive.read(PROOF))
        print(f"package verifies; head entry {proof['head_id']}, sha256 {proof['head_hash']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
