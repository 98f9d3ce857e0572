"""Layout and wording live in data: locale parity, a company's config and templates."""

from __future__ import annotations

import doctest

import pytest
import yaml

from esgledger.errors import EsgError
from esgledger.report import ReportRequest, build_report, fmt, load_config
from esgledger.report.config import PACKAGE_DIR, RowSpec, Strings


def test_number_formatting_examples():
    assert doctest.testmod(fmt).failed == 0


def test_every_string_exists_in_both_languages():
    # datasets.<name>.*: a factor dataset's wording, where its file's (English) one will not do
    def required(lang: str) -> set[str]:
        keys = Strings(lang).keys()
        return {key for key in keys if not key.startswith("datasets.")}

    assert required("en") == required("zh")


def test_every_shipped_section_and_table_has_a_title_in_both_languages():
    config = load_config()
    for lang in ("en", "zh"):
        strings = Strings(lang)
        for section in config.sections:
            assert strings(f"sections.{section.id}")
        for table in config.tables():
            assert strings(f"tables.{table.id}")


def _company_config(tmp_path):
    data = yaml.safe_load((PACKAGE_DIR / "data" / "report.yaml").read_text(encoding="utf-8"))
    keep = {"cover", "contents", "performance", "index"}
    data["sections"] = [s for s in data["sections"] if s["id"] in keep]
    performance = next(s for s in data["sections"] if s["id"] == "performance")
    tables = {t["id"]: t for t in performance["tables"]}
    performance["tables"] = [tables["people"], tables["energy"]]  # people first, energy second
    performance["title"] = {"en": "Our numbers", "zh": "我们的数据"}
    data["frameworks"] = ["gri"]
    data["strings"] = {"en": {"tables": {"energy": "Power and fuels"}}}
    path = tmp_path / "company.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_company_config_reorders_removes_and_rewords(small_ledger, catalog, tmp_path):
    build_report(
        small_ledger,
        catalog,
        ReportRequest(2024, snapshot_id=1),
        tmp_path,
        langs=["en"],
        formats=["html"],
        config_path=_company_config(tmp_path),
    )
    html = (tmp_path / "esg-report-2024-en.html").read_text(encoding="utf-8")
    assert "Our numbers" in html and "Power and fuels" in html
    assert html.index("Employees") < html.index("Power and fuels")  # people table first
    assert "Methodology" not in html and "SASAC" not in html
    assert "About this Report" not in html


def test_a_company_template_overrides_the_shipped_one(small_ledger, catalog, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "about.html").write_text(
        '<section class="body" id="{{ section.anchor }}"><h1>{{ section.title }}</h1>'
        "<p>Reviewed by the board on 28 March.</p></section>",
        encoding="utf-8",
    )
    build_report(
        small_ledger,
        catalog,
        ReportRequest(2024, snapshot_id=1),
        tmp_path,
        langs=["zh"],
        formats=["html"],
        templates=folder,
    )
    html = (tmp_path / "esg-report-2024-zh.html").read_text(encoding="utf-8")
    assert "Reviewed by the board on 28 March." in html and "关于本报告" in html


def test_a_config_naming_an_unknown_indicator_is_refused(small_ledger, catalog, tmp_path):
    path = tmp_path / "bad.yaml"
    data = yaml.safe_load((PACKAGE_DIR / "data" / "report.yaml").read_text(encoding="utf-8"))
    performance = next(s for s in data["sections"] if s["id"] == "performance")
    performance["tables"][0]["rows"].append("energy.unobtainium")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(EsgError, match=r"no indicator 'energy\.unobtainium'"):
        build_report(
            small_ledger, catalog, ReportRequest(2024, snapshot_id=1), tmp_path, config_path=path
        )


def test_a_config_that_is_not_valid_says_where(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("sections:\n  - {id: cover}\n", encoding="utf-8")
    with pytest.raises(EsgError, match=r"sections\.0\.template"):
        load_config(path)


def test_a_scoped_indicator_asked_for_at_another_boundary_is_refused(
    small_ledger, catalog, tmp_path
):
    path = tmp_path / "scoped.yaml"
    data = yaml.safe_load((PACKAGE_DIR / "data" / "report.yaml").read_text(encoding="utf-8"))
    row = {"indicator": "ghg.intensity_metals", "boundary": "group"}
    performance = next(s for s in data["sections"] if s["id"] == "performance")
    performance["tables"][0]["rows"].append(row)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        EsgError, match=r"ghg\.intensity_metals exists only for segment:metals"
    ) as refused:
        build_report(
            small_ledger, catalog, ReportRequest(2024, snapshot_id=1), tmp_path, config_path=path
        )
    assert refused.value.code == "report_config.unknown_names"
    chinese = refused.value.render("zh")
    assert chinese.startswith("报告配置中有目录或集团中不存在的名称：表 ")
    assert "ghg.intensity_metals 只适用于 segment:metals，不适用于 'group'" in chinese
    assert "。可用的主题：" in chinese and "；可用的边界：" in chinese


def test_a_row_written_with_the_former_key_target_reads_its_boundary():
    row = RowSpec.model_validate({"indicator": "energy.total", "target": "tag:key-entity"})
    assert row.boundary == "tag:key-entity"
