"""The product footprints page on the demo ledger: every demo product with its footprint,
the contribution charts of the chosen one, switchable allocation, Chinese labels, the
reporter rule and the XLSX download."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from tests.apps import serving
from tests.conftest import SharedDemo
from tests.web.conftest import log_in

PRODUCTS = Path(str(files("esgledger.demo") / "data")) / "products"


@pytest.fixture(scope="module")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[FastAPI]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("footprint-pages"))
    settings = Settings(
        db=url, secure_cookies=False, factor_files=[str(factor_file())], products=PRODUCTS
    )
    with serving(settings) as app:
        yield app


@pytest.fixture
def client(demo_app: FastAPI) -> Callable[[str], TestClient]:
    def make(username: str) -> TestClient:
        made = TestClient(demo_app)
        assert log_in(made, username, f"demo-{username}-pass").status_code == 303
        return made

    return make


def test_every_demo_product_is_listed_with_the_chosen_ones_contributions(client):
    page = client("manager").get("/footprints?year=2024&product=prnd-metal")
    assert page.status_code == 200, page.text
    for name in (
        "Lanthanum oxide",
        "Cerium oxide",
        "Praseodymium-neodymium oxide",
        "Praseodymium-neodymium metal",
        "Sintered NdFeB magnet",
    ):
        assert name in page.text
    assert "Contributions: Praseodymium-neodymium metal" in page.text
    assert "Fluoride molten-salt electrolysis" in page.text and "CF4" in page.text
    assert "C2F6" in page.text and "IPCC AR6 100-year GWPs" in page.text
    assert "No biogenic CO2 uptake" in page.text


def test_allocation_switches_on_the_page(client):
    made = client("manager")
    mass = made.get("/footprints?year=2024&allocation=mass").text
    economic = made.get("/footprints?year=2024&allocation=economic").text
    assert mass != economic
    assert '<option value="mass" selected>' in mass


def test_the_page_in_chinese(client):
    made = client("manager")
    made.get("/lang/zh?next=/footprints")
    page = made.get("/footprints?year=2024")
    assert "产品碳足迹" in page.text and "按工序" in page.text and "烧结钕铁硼磁体" in page.text
    assert "Contributions" not in page.text and "By process" not in page.text
    assert "IPCC AR6 100 年全球增温潜势" in page.text and "无生物源二氧化碳吸收" in page.text


def test_a_reporter_does_not_see_group_footprints(client):
    assert client("smelter").get("/footprints").status_code == 404


def test_the_table_downloads_as_xlsx(client):
    answer = client("manager").get("/footprints?year=2024&xlsx=footprints")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.max_row == 6  # header and the five demo products
