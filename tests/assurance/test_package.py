"""The assurance package: its contents, and the proof a third party re-checks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from esgledger.assurance.engagements import save_engagement
from esgledger.assurance.package import build_package
from esgledger.assurance.proof import CHAIN, verify_package
from esgledger.assurance.signoff import sign_off
from esgledger.assurance.workpapers import ask
from esgledger.cli.assurance_cmd import PackageBroken, verify_command
from esgledger.cli.main import main
from esgledger.ledger import files
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.records import RecordChange, append_record
from esgledger.ledger.verify import verify_ledger
from tests.assurance.conftest import AUDITOR, ELECTRICITY, ENGAGEMENT
from tests.ledger.test_registers import png_bytes

VALUE = {"entity": "SMELT", "period": "2024-03", "indicator": ELECTRICITY}


@pytest.fixture
def package(values: Engine, tmp_path: Path) -> Path:
    """An engagement with a query, a sign-off and one evidence file, exported."""
    root = tmp_path / "files"
    with unit_of_work(values) as session:
        stored = files.store_file(
            session, root, png_bytes(), name="meter.png", actor="smelter", max_bytes=100_000
        )
        link = {
            **VALUE,
            "sha256": stored.sha256,
            "name": "meter.png",
            "media_type": stored.media_type,
            "size": stored.size,
            "target": "value",
            "revision_id": None,
            "import_id": None,
        }
        append_record(
            session,
            "evidence.links",
            RecordChange(f"{stored.sha256}|x", link, entity="SMELT"),
            actor="smelter",
            action="attach",
        )
        save_engagement(session, AUDITOR, ENGAGEMENT)
        ask(session, AUDITOR, "E2024", VALUE, "smelter", "Invoice for March?")
        sign_off(session, AUDITOR, "E2024", "METAL", ELECTRICITY, "No exceptions")
        data = build_package(session, AUDITOR, "E2024", root)
    path = tmp_path / "E2024.zip"
    path.write_bytes(data)
    with unit_of_work(values) as session:
        assert verify_ledger(session).ok  # the export's own record is sealed too
    return path


def rewritten(path: Path, name: str, change) -> Path:
    """A copy of the package with one file's bytes changed by ``change``."""
    out = path.with_name(f"tampered-{name.replace('/', '_')}.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return out


def test_the_package_holds_values_revisions_lineage_evidence_workpapers_and_audit(
    package: Path,
) -> None:
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        values = pl.read_csv(io.BytesIO(archive.read("values.csv")))
        lineage = json.loads(archive.read("lineage.json"))
        evidence = json.loads(archive.read("evidence/index.json"))
        signoffs = json.loads(archive.read("workpapers/signoffs.json"))
        queries = json.loads(archive.read("workpapers/queries.json"))
        extract = archive.read("audit/extract.csv").decode()
    assert values.height == 24 and set(values["entity"]) == {"SMELT", "METAL"}
    assert {"revisions.csv", "manifest.json", "proof.json", "verify_package.py"} <= names
    assert lineage[0]["source_file"] == "electricity.csv" and lineage[0]["source_row"]
    assert evidence[0]["name"] == "meter.png"
    assert f"evidence/{evidence[0]['sha256']}" in names
    assert signoffs[0]["entity"] == "METAL" and not signoffs[0]["stale"]
    assert queries[0]["question"] == "Invoice for March?"
    assert "electricity.csv" in extract or "import" in extract


def test_the_untouched_package_verifies_with_the_shipped_script(package: Path) -> None:
    assert verify_package(package) == []
    with zipfile.ZipFile(package) as archive:
        script = package.with_name("verify_package.py")
        script.write_bytes(archive.read("verify_package.py"))
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(package)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout
    assert "package verifies" in run.stdout


def test_a_changed_value_file_is_detected(package: Path) -> None:
    tampered = rewritten(package, "values.csv", lambda d: d.replace(b"3000", b"2000", 1))
    problems = verify_package(tampered)
    assert problems == ["values.csv: its content does not match the manifest's SHA-256"]
    script = package.with_name("verify_package.py")
    with zipfile.ZipFile(package) as archive:
        script.write_bytes(archive.read("verify_package.py"))
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(tampered)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "FAILED: values.csv" in run.stdout


def test_a_package_that_does_not_verify_is_refused_in_chinese(package: Path, capsys) -> None:
    tampered = rewritten(package, "values.csv", lambda d: d.replace(b"3000", b"2000", 1))
    with pytest.raises(PackageBroken) as refused:
        verify_command(tampered)
    assert refused.value.code == "command.package_broken"
    assert refused.value.render("zh") == (
        "审计包校验未通过：\nvalues.csv: its content does not match the manifest's SHA-256"
    )
    assert main(["--lang", "zh", "assurance", "verify", str(tampered)]) == 1
    assert capsys.readouterr().err.startswith("错误：审计包校验未通过：")


def test_a_manifest_rewritten_to_match_is_caught_by_the_chain(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["files"]["values.csv"] = "0" * 64
    tampered = rewritten(package, "manifest.json", lambda _: json.dumps(manifest).encode())
    assert "no entry of the audit chain commits to this manifest's SHA-256" in "\n".join(
        verify_package(tampered)
    )


def test_an_edited_audit_entry_breaks_the_chain(package: Path) -> None:
    def edit(data: bytes) -> bytes:
        lines = data.decode().splitlines()
        entry = json.loads(lines[1])
        entry["actor"] = "someone-else"
        lines[1] = json.dumps(entry)
        return ("\n".join(lines) + "\n").encode()

    problems = verify_package(rewritten(package, CHAIN, edit))
    assert "entry 2: its content no longer matches its hash" in problems


def test_an_added_file_is_detected(package: Path) -> None:
    out = package.with_name("added.zip")
    out.write_bytes(package.read_bytes())
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("evidence/extra.pdf", b"%PDF-1.4 forged")
    assert verify_package(out) == ["evidence/extra.pdf: in the package but not in the manifest"]
