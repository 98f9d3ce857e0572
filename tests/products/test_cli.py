"""`esgledger footprint compute | explain | report` on the demo ledger, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.demo.products import product_system_files

HAND_WORKED = Path(__file__).with_name("systems") / "three_process.yaml"


@pytest.fixture(scope="module")
def demo_args(demo_ledger, tmp_path_factory):
    from esgledger.demo.products import load_supplier_footprints
    from esgledger.ledger.database import open_database

    url = demo_ledger.copy_to(tmp_path_factory.mktemp("footprint-cli"))
    database = open_database(url)
    load_supplier_footprints(database, "demo-manager")
    database.dispose()
    [system] = product_system_files()
    return [str(system), "--year", "2024", "--db", url, "--factors", str(demo_ledger.factors)]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_compute_prints_the_footprint_and_its_contributions(demo_args):
    result = invoke("footprint", "compute", *demo_args, "--product", "prnd-metal", "--draws", "200")
    assert result.exit_code == 0, result.output
    assert "prnd-metal" in result.output and "kg CO2e/kg" in result.output
    assert "molten-salt-electrolysis" in result.output and "95 % interval" in result.output


def test_compute_as_json_switches_allocation(demo_args):
    scores = {}
    for allocation in ("mass", "economic"):
        result = invoke(
            "footprint", "compute", *demo_args, "--allocation", allocation, "--draws", "0", "--json"
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["allocation"] == allocation
        assert sum(data["by_process"].values()) == pytest.approx(data["kg_co2e_per_kg"])
        assert data["ipcc_characterization"] == ["AR6"]
        masses = data["gas_mass_kg_per_kg"]  # PFC masses x AR6 GWPs are their CO2e
        assert masses["CF4"] * 7380 == pytest.approx(data["by_gas"]["CF4"], rel=1e-12)
        scores[allocation] = data["kg_co2e_per_kg"]
    assert scores["economic"] > scores["mass"]


def test_explain_names_ledger_rows_and_factors(demo_args):
    result = invoke("footprint", "explain", *demo_args)
    assert result.exit_code == 0, result.output
    assert "HUAXING 2024: ghg.scope2" in result.output
    assert "cn_grid_mee" in result.output
    assert "energy.purchased_electricity" in result.output  # an observation row


def test_a_bad_system_gets_the_chinese_message_without_a_traceback(tmp_path, demo_args):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        HAND_WORKED.read_text(encoding="utf-8").replace(
            "allocation: mass", "allocation: by-weight"
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esgledger.cli.main",
            "--lang",
            "zh",
            "footprint",
            "compute",
            str(bad),
            *demo_args[1:],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert "字段 allocation 无效" in done.stderr + done.stdout
    assert "第 " in done.stderr + done.stdout  # the YAML line


def test_report_writes_a_chinese_pdf(demo_args, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "magnet.pdf"
    result = invoke("footprint", "report", *demo_args, "--out", str(out), "--draws", "100")
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "烧结钕铁硼磁体" in text and "经济价值分配" in text and "NMAG" in text


def test_supplier_footprints_round_trip_through_xlsx_all_or_nothing(demo_args, tmp_path):
    from openpyxl import load_workbook

    db = demo_args[demo_args.index("--db") + 1]
    sheet_file = tmp_path / "suppliers.xlsx"
    result = invoke("footprint", "suppliers-export", "--out", str(sheet_file), "--db", db)
    assert result.exit_code == 0, result.output
    book = load_workbook(sheet_file)
    sheet = book["supplier_footprints"]
    assert sheet["A2"].value == "ferroboron"
    sheet.append(
        [
            "electrolytic-iron",
            "Illustrative iron works",
            2.1,
            "kgCO2e/kg",
            1.7,
            "2024-01-01",
            "2024-12-31",
            None,
        ]
    )  # share above 1: refused
    book.save(sheet_file)
    from esgledger.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        invoke("footprint", "suppliers-import", str(sheet_file), "--db", db)
    assert "row 3" in caught.value.render("en") and "primary_data_share" in str(caught.value)
    sheet["E3"] = 0.8
    book.save(sheet_file)
    result = invoke("footprint", "suppliers-import", str(sheet_file), "--db", db)
    assert result.exit_code == 0, result.output
    assert "recorded 2" in result.output
    again = tmp_path / "again.xlsx"
    invoke("footprint", "suppliers-export", "--out", str(again), "--db", db)
    assert load_workbook(again)["supplier_footprints"].max_row == 3


def test_publish_puts_the_ledger_footprints_on_the_pact_host(demo_ledger, tmp_path):
    from esgledger.demo.products import pact_settings
    from esgledger.ledger.database import open_database, unit_of_work
    from esgledger.pact import spec
    from esgledger.pact.store import published

    url = demo_ledger.copy_to(tmp_path)
    [system] = product_system_files()
    args = [str(system), "--year", "2024", "--db", url, "--factors", str(demo_ledger.factors)]
    demo = pact_settings()["publisher"]  # the demo published these very figures already
    same = ["--company-name", demo["company_name"], "--domain", demo["domain"]]
    assert (
        "0 footprint(s) published, 5 unchanged"
        in invoke("footprint", "publish", *args, *same).output
    )
    names = ["--company-name", "Northern Rare Earth (demo)", "--domain", "nre.example.cn"]
    first = invoke("footprint", "publish", *args, *names)
    assert first.exit_code == 0, first.output
    again = invoke("footprint", "publish", *args, *names)
    assert "0 footprint(s) published, 5 unchanged" in again.output  # same figures add nothing
    database = open_database(url)
    with unit_of_work(database) as session:
        everything = published(session)
    database.dispose()
    footprints = [f for f in everything if f["status"] == "Active"]
    assert footprints and all(f["companyName"] == "Northern Rare Earth (demo)" for f in footprints)
    # the demo's own are deprecated by the new calculation of the same products
    assert len(everything) == 2 * len(footprints)
    assert all(len(f["precedingPfIds"]) == 1 for f in footprints)
    assert all(spec.problems(f) == [] for f in footprints)
    by_product = {f["productIds"][0].rsplit(":", 1)[-1]: f["pcf"] for f in footprints}
    assert set(by_product) == {"la-oxide", "ce-oxide", "prnd-oxide", "prnd-metal", "ndfeb-magnet"}
    computed = json.loads(
        invoke(
            "footprint", "compute", *args, "--product", "prnd-metal", "--draws", "0", "--json"
        ).output
    )
    published_value = float(by_product["prnd-metal"]["pcfExcludingBiogenicUptake"])
    assert published_value == pytest.approx(computed["kg_co2e_per_kg"], rel=1e-9)
