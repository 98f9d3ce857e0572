"""A plugin adds an import layout that `esgledger import` reads; a broken one is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.catalog import load_catalog
from esgledger.cli.main import main
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.imports.layouts import ImportLayout, accepted_suffixes, layouts
from esgledger.ledger.imports.reader import read_table
from esgledger.ledger.imports.rows import ImportFileError
from esgledger.ledger.schema import Revision
from esgledger.plugins import PluginError, hookimpl
from tests.plugins import acme_layouts

BILL = """meter,site,billing_month,kwh
M-001,SMELT,2024-01,125000
M-002,METAL,2024-01,48000
"""


@pytest.fixture
def bill(tmp_path: Path) -> Path:
    path = tmp_path / "bill-2024-01.csv"
    path.write_text(BILL, encoding="utf-8")
    return path


def imported(database) -> list[tuple]:
    with unit_of_work(database) as session:
        rows = session.execute(
            select(
                Revision.entity,
                Revision.period,
                Revision.indicator,
                Revision.canonical_value,
                Revision.comment,
            ).order_by(Revision.entity)
        )
        return [tuple(row) for row in rows]


def test_a_plugin_layout_imports_a_utility_bill(install, ledger, bill):
    install(acme_layouts)
    with unit_of_work(ledger) as session:
        result = import_file(session, bill, "reporter", load_catalog())
    assert result.rows == 2
    assert imported(ledger) == [
        ("METAL", "2024-01", "energy.purchased_electricity", 48.0, "meter M-002"),
        ("SMELT", "2024-01", "energy.purchased_electricity", 125.0, "meter M-001"),
    ]


def test_esgledger_import_reads_the_plugin_layout(install, ledger, bill):
    if ledger.dialect.name != "sqlite":
        pytest.skip("the command line reaches the ledger by URL; the schema is per test")
    install(acme_layouts)
    assert main(["import", str(bill), "--db", ledger.url.render_as_string(False)]) == 0
    assert [row[3] for row in imported(ledger)] == [48.0, 125.0]


def test_without_the_plugin_the_bill_is_refused_as_a_long_csv(bill):
    with pytest.raises(ImportFileError, match="the header lacks entity, period, indicator"):
        read_table(bill)


def test_a_long_csv_still_reads_as_long_with_the_plugin_installed(install, write_csv):
    install(acme_layouts)
    path = write_csv("long.csv", [("SMELT", "2024", "water.fresh_withdrawal", "10", "m3", "")])
    assert read_table(path).frame["indicator"].to_list() == ["water.fresh_withdrawal"]
    assert layouts()["long"].plugin == "esgledger.ledger.imports.shipped"


def test_upload_forms_accept_the_suffixes_of_every_layout(install):
    class Dat:
        @hookimpl
        def esgledger_import_layouts(self) -> list[ImportLayout]:
            return [ImportLayout("acme-dat", "logger dump", (".dat",), lambda source: iter(()))]

    install(Dat(), name="dat-layout")
    assert accepted_suffixes() == (".csv", ".xlsx", ".xlsm", ".dat")


def failing_reader(source):
    raise ValueError("column 7 missing")
    yield  # a generator, like every reader


class ClaimsEveryCsv:
    @hookimpl
    def esgledger_import_layouts(self) -> list[ImportLayout]:
        return [ImportLayout("greedy", "every csv", (".csv",), failing_reader, lambda p: True)]


class RecognisesBadly:
    @hookimpl
    def esgledger_import_layouts(self) -> list[ImportLayout]:
        return [ImportLayout("fragile", "", (".csv",), failing_reader, lambda p: 1 / 0)]


class TakesTheLongName:
    @hookimpl
    def esgledger_import_layouts(self) -> list[ImportLayout]:
        return [ImportLayout("long", "", (".tsv",), failing_reader)]


@pytest.mark.parametrize(
    ("plugin", "expected", "chinese"),
    [
        (
            ClaimsEveryCsv(),
            "its import layout 'greedy' failed reading",
            "插件 'broken-layout'：其导入格式 'greedy' 读取 ",
        ),
        (
            RecognisesBadly(),
            "its import layout 'fragile' failed while looking at",
            "插件 'broken-layout'：其导入格式 'fragile' 识别 long.csv 时出错：ZeroDivisionError",
        ),
        (
            TakesTheLongName(),
            "declares 'long' in esgledger_import_layouts",
            "插件 'broken-layout' 在 esgledger_import_layouts 中声明了 'long'",
        ),
    ],
    ids=["reader raises", "recogniser raises", "name collision"],
)
def test_a_broken_layout_plugin_is_a_message_naming_it(
    install, write_csv, plugin, expected, chinese
):
    install(plugin, name="broken-layout")
    path = write_csv("long.csv", [("SMELT", "2024", "water.fresh_withdrawal", "10", "m3", "")])
    with pytest.raises(PluginError) as caught:
        read_table(path)
    assert "plugin 'broken-layout'" in caught.value.message
    assert expected in caught.value.message
    assert chinese in caught.value.render("zh")


class GivesShortRows:
    @hookimpl
    def esgledger_import_layouts(self) -> list[ImportLayout]:
        def read(source):
            yield ("SMELT", "2024")

        return [ImportLayout("short", "", (".dat",), read)]


def test_a_layout_giving_a_short_row_is_a_message_naming_the_plugin(install, tmp_path):
    install(GivesShortRows(), name="short-rows")
    path = tmp_path / "meter.dat"
    path.write_text("SMELT 2024\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        read_table(path)
    assert caught.value.code == "plugin.layout_row"
    assert "gave the row ('SMELT', '2024'); a row is a tuple of" in caught.value.message
    assert "其导入格式 'short' 给出了行 ('SMELT', '2024')；每行应是含" in caught.value.render("zh")


def test_two_layouts_recognising_one_file_are_named_both(install, bill):
    install(acme_layouts)
    install(ClaimsEveryCsv(), name="greedy-layout")
    with pytest.raises(ImportFileError) as caught:
        read_table(bill)
    message = caught.value.message
    assert "'acme-utility-bill' (plugin 'tests.plugins.acme_layouts')" in message
    assert "'greedy' (plugin 'greedy-layout')" in message
