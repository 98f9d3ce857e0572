"""A plugin adds a report section and an output format; broken ones are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esgledger.plugins import PluginError, hookimpl
from esgledger.report import ReportRequest, build_report, load_config
from esgledger.report.formats import ReportFormat, report_formats
from esgledger.report.sections import ReportSection
from tests.plugins import acme_report
from tests.report.conftest import make_small_ledger


@pytest.fixture(scope="module")
def small(tmp_path_factory, catalog_for_report):
    database = make_small_ledger(tmp_path_factory.mktemp("ledger"), catalog_for_report)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def catalog_for_report():
    from esgledger.catalog import load_catalog

    return load_catalog()


def build(small, catalog, out: Path, formats: tuple[str, ...]):
    request = ReportRequest(year=2024, snapshot_id=1)
    return build_report(small, catalog, request, out, langs=("en",), formats=formats)


def test_a_plugin_section_appears_in_the_report_after_the_section_it_names(
    install, small, catalog_for_report, tmp_path
):
    install(acme_report)
    ids = [s.id for s in load_config().sections]
    assert ids[ids.index("performance") + 1] == "acme_water_pledge"
    result = build(small, catalog_for_report, tmp_path, ("html",))
    html = result.paths[0].read_text(encoding="utf-8")
    assert "Our water pledge" in html
    assert '<p class="acme-pledge-text">Acme withdraws less water every year</p>' in html
    assert html.index('id="s-acme_water_pledge"') > html.index('id="s-performance"')
    assert html.index('id="s-acme_water_pledge"') < html.index('id="s-methodology"')
    assert html.index("Our water pledge") < html.index('id="s-about"')  # in the contents


def test_a_plugin_format_is_written_next_to_the_others(
    install, small, catalog_for_report, tmp_path
):
    install(acme_report)
    result = build(small, catalog_for_report, tmp_path, ("html", "json"))
    assert sorted(p.name for p in result.paths) == [
        "esg-report-2024-en.html",
        "esg-report-2024-en.json",
    ]
    written = json.loads((tmp_path / "esg-report-2024-en.json").read_text(encoding="utf-8"))
    assert written["year"] == 2024 and written["report"]


def test_without_the_plugin_neither_section_nor_format_exists(small, catalog_for_report, tmp_path):
    assert "acme_water_pledge" not in [s.id for s in load_config().sections]
    assert list(report_formats()) == ["html", "pdf", "xlsx"]
    with pytest.raises(Exception, match="formats from html, pdf, xlsx"):
        build(small, catalog_for_report, tmp_path, ("json",))


class FailingFormat:
    @hookimpl
    def esgledger_report_formats(self) -> list[ReportFormat]:
        def write(document):
            raise KeyError("portal")

        return [ReportFormat("portal", "", "application/json", write)]


class TextFormat:
    @hookimpl
    def esgledger_report_formats(self) -> list[ReportFormat]:
        return [ReportFormat("txt", "", "text/plain", lambda document: "not bytes")]


class FailingSection:
    @hookimpl
    def esgledger_report_sections(self) -> list[ReportSection]:
        template = Path(acme_report.__file__).parent / "templates" / "water_pledge.html"
        return [ReportSection("pledge", template, {"en": "Pledge"}, data=lambda f, lang: 1 / 0)]


class TakesTheAnnex:
    @hookimpl
    def esgledger_report_sections(self) -> list[ReportSection]:
        return [ReportSection("annex", Path("annex.html"))]


@pytest.mark.parametrize(
    ("plugin", "formats", "expected", "chinese"),
    [
        (
            FailingFormat(),
            ("portal",),
            "its report format 'portal' failed: KeyError",
            "其报告格式 'portal' 出错：KeyError: 'portal'。请修复或更新该插件，或不使用该格式",
        ),
        (
            TextFormat(),
            ("txt",),
            "report format 'txt' returned a str",
            "其报告格式 'txt' 返回了 str；报告格式应返回文件的字节内容",
        ),
        (
            FailingSection(),
            ("html",),
            "its report section 'pledge' failed: ZeroDivisionError",
            "其报告章节 'pledge' 出错：ZeroDivisionError",
        ),
        (
            TakesTheAnnex(),
            ("html",),
            "declares 'annex' in esgledger_report_sections",
            "在 esgledger_report_sections 中声明了 'annex'",
        ),
    ],
    ids=["format raises", "format returns text", "section data raises", "section id taken"],
)
def test_a_broken_report_plugin_is_a_message_naming_it(
    install, small, catalog_for_report, tmp_path, plugin, formats, expected, chinese
):
    install(plugin, name="broken-report")
    with pytest.raises(PluginError) as caught:
        build(small, catalog_for_report, tmp_path, formats)
    assert "plugin 'broken-report'" in caught.value.message
    assert expected in caught.value.message
    assert caught.value.render("zh").startswith("插件 'broken-report'")
    assert chinese in caught.value.render("zh")


class NamesASectionBadly:
    @hookimpl
    def esgledger_report_sections(self) -> list[ReportSection]:
        return [ReportSection("Water Pledge", Path("pledge.html"))]


def test_a_plugin_section_with_an_unusable_id_is_refused_naming_it(install):
    install(NamesASectionBadly(), name="bad-section")
    with pytest.raises(PluginError) as caught:
        load_config()
    assert caught.value.code == "plugin.section_id"
    assert "the plugin report section 'Water Pledge' is not valid" in caught.value.message
    assert caught.value.render("zh").startswith("插件报告章节 'Water Pledge' 无效：")
    assert "（章节 id 只能由小写字母、数字和 _ 组成）" in caught.value.render("zh")
