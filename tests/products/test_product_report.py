"""The EPD-style product report: a PDF in Chinese or English whose text carries the
footprint, boundary, allocation, data quality and primary-data share."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from esgledger.factors import load_factor_sets
from esgledger.products.compute import compute_footprint
from esgledger.products.loading import read_system
from esgledger.products.model import Allocation
from esgledger.products.service import offline_inputs

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

SYSTEM = Path(__file__).with_name("systems") / "three_process.yaml"


def _text(lang: str, allocation: Allocation = Allocation.MASS) -> str:
    from esgledger.report.product_report import product_report_pdf

    system = read_system(SYSTEM)
    result = compute_footprint(
        system,
        offline_inputs(system, load_factor_sets(), 2024),
        allocation=allocation,
        draws=500,
        seed=1,
    )
    pdf = product_report_pdf(system, result, lang)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_chinese_report_states_footprint_boundary_allocation_and_quality():
    text = _text("zh")
    assert "产品碳足迹声明" in text
    assert "1.00" in text  # 0.99948 kg CO2e per kg, hand-worked
    assert "从摇篮到大门" in text and "质量分配" in text
    assert "初级数据占比" in text and "79%" in text  # (0.738 + 0.048) / 0.99948
    assert "技术代表性" in text and "电解" in text
    assert re.search(r"IPCC\s*AR6\s*100", text) and "无生物源二氧化碳吸收" in text


def test_the_english_report_follows_the_chosen_allocation():
    text = _text("en", Allocation.ECONOMIC)
    assert "Product carbon footprint declaration" in text
    assert "0.86" in text  # 0.85685 kg CO2e per kg under economic allocation
    assert "Economic allocation" in text and "Primary-data share" in text
    assert "Contribution by greenhouse gas" in text and "CF4" in text
    assert re.search(r"IPCC\s+AR6\s+GWP100", text)
    assert re.search(r"No\s+biogenic\s+CO2\s+uptake", text)
