"""`esgledger pact`: publish from a file of ComputedFootprint fields, clients, requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.cli.main import main
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.pact.store import published

FOOTPRINTS = Path(__file__).with_name("data") / "footprints.yaml"
PUBLISH = ["--company-name", "NRE", "--domain", "nre.example.cn"]


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'pact.db'}"
    assert main(["init", "--db", url, "--years", "2024"]) == 0
    return url


def test_publish_reads_the_file_and_publishes_once(db, capsys):
    assert main(["pact", "publish", str(FOOTPRINTS), *PUBLISH, "--db", db]) == 0
    assert "21.4 kg CO2e/kilogram" in capsys.readouterr().out
    assert main(["pact", "publish", str(FOOTPRINTS), *PUBLISH, "--db", db]) == 0
    assert "0 footprint(s) published, 1 unchanged" in capsys.readouterr().out
    database = open_database(db)
    with unit_of_work(database) as session:
        [footprint] = published(session)
    database.dispose()
    assert footprint["pcf"]["fossilGhgEmissions"] == "21.4"


def test_a_bad_footprint_file_names_the_item_and_writes_nothing(db, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = FOOTPRINTS.read_text(encoding="utf-8")
    bad.write_text(text + text.replace("21400 kgCO2e", "lots"), encoding="utf-8")
    assert main(["pact", "publish", str(bad), *PUBLISH, "--db", db]) != 0
    err = capsys.readouterr().err
    assert "footprint 2" in err and "Traceback" not in err
    database = open_database(db)
    with unit_of_work(database) as session:
        assert published(session) == []
    database.dispose()


def test_a_client_is_shown_once_and_requests_list(db, capsys):
    assert (
        main(
            [
                "pact",
                "client",
                "add",
                "Magnet maker",
                "--events-url",
                "https://buyer.example.com",
                "--db",
                db,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "client id:     pact_" in out and "client secret:" in out
    assert main(["pact", "requests", "--db", db]) == 0


def test_fulfilling_an_unknown_request_is_a_user_error(db, capsys):
    code = main(
        [
            "pact",
            "fulfil",
            "nope",
            "--client-id",
            "a",
            "--client-secret",
            "b",
            "--source",
            "https://nre.example.cn/pact",
            "--db",
            db,
        ]
    )
    assert code != 0
    err = capsys.readouterr().err
    assert "esgledger pact requests" in err and "Traceback" not in err


def test_a_client_limited_to_an_unknown_entity_is_refused(db, capsys):
    assert main(["pact", "client", "add", "Buyer", "--entity", "SMLET", "--db", db]) != 0
    assert "SMLET" in capsys.readouterr().err


def test_export_writes_the_published_figures_as_numbers(db, tmp_path, capsys):
    from openpyxl import load_workbook

    assert main(["pact", "publish", str(FOOTPRINTS), *PUBLISH, "--db", db]) == 0
    out = tmp_path / "pact.xlsx"
    assert main(["pact", "export", str(out), "--db", db]) == 0
    sheet = load_workbook(out)["published"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["pcf_excluding_biogenic_uptake_kgco2e"] == 21.4
    assert row["status"] == "Active"


def test_receive_records_a_suppliers_file_once_and_refuses_a_bad_one(db, tmp_path, capsys):
    from esgledger.demo.products import PACT_FILE
    from esgledger.pact.received import supplier_footprints

    sent = PACT_FILE.with_name("supplier_pact_footprints.json")
    assert main(["pact", "receive", str(sent), "--source", "mail", "--db", db]) == 0
    assert "1 footprint(s) of supplier_pact_footprints.json new" in capsys.readouterr().out
    assert main(["pact", "receive", str(sent), "--db", db]) == 0
    assert "0 footprint(s)" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": [{"id": "not a footprint"}]}', encoding="utf-8")
    assert main(["pact", "receive", str(bad), "--db", db]) != 0
    assert main(["pact", "receive", str(tmp_path / "absent.json"), "--db", db]) != 0
    assert "Traceback" not in capsys.readouterr().err
    database = open_database(db)
    with unit_of_work(database) as session:
        assert [f["id"] for f in supplier_footprints(session)] == [
            "5b0c8d3e-7a41-4f2e-9c6d-2e8f1a4b7c90"
        ]
    database.dispose()
