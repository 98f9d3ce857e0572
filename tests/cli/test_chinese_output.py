"""The command line's own output in Chinese under ``--lang zh``, and unchanged in English.

Each command runs on a small ledger (two plants, 2023 and half of 2024, a targets file and
a scenario). In Chinese its tables, titles, headers, labels and summaries hold no English
word: what Latin letters are left are data (ids, entity codes, file names, units symbols,
standard codes), by the rules the web pages are read with (tests/web/latin_text.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.targets.test_cli import build_ledger
from tests.web.latin_text import WORD, english_left, load_allow_list

from esgledger.cli.common import author_name
from esgledger.cli.main import main
from esgledger.errors import texts

# A scenario written for a Chinese reader: its title in Chinese, its lever id a code.
SCENARIO_ZH = """name: grow
title: Growth
title_zh: 增长情景
end_year: 2030
growth:
  default: {rate_pct: 5, low_pct: 2, high_pct: 8}
efficiency:
  - {id: motor_upgrade, carrier: electricity, savings_pct: 10, start_year: 2026,
     capex_cny: 100000}
grid_factor: {points: {2030: 0.4}, uncertainty_pct: 20}
"""
ENTITY_CODES = ("GRP", "SEP", "MET")
TARGET_IDS = ("energy-cap", "key-intensity")  # tests/targets/test_cli.py, TARGETS
TAGS = ("key-entity",)  # tests/targets/test_cli.py, ORG


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> dict[str, str]:
    files = build_ledger(tmp_path_factory.mktemp("ledger"))
    scenario = Path(files["folder"]) / "grow_zh.yaml"
    scenario.write_text(SCENARIO_ZH, encoding="utf-8")
    return {**files, "scenario_zh": str(scenario)}


COMMANDS = {
    "calc": lambda f: ["calc", "--db", f["db"]],
    "calc by month": lambda f: ["calc", "--db", f["db"], "--period", "2024-03"],
    "explain": lambda f: [
        *("explain", "ghg.scope2_location", "--entity", "SEP", "--period", "2023"),
        *("--db", f["db"]),
    ],
    "explain group": lambda f: [
        *("explain", "energy.total", "--entity", "GRP", "--period", "2024", "--depth", "2"),
        *("--db", f["db"]),
    ],
    "observations list": lambda f: ["observations", "list", "--db", f["db"], "--limit", "5"],
    "observations history": lambda f: [
        *("observations", "history", "SEP", "2023-01", "energy.purchased_electricity"),
        *("--db", f["db"]),
    ],
    "targets status": lambda f: ["targets", "status", "--file", f["targets"], "--db", f["db"]],
    "pathway run": lambda f: [
        *("pathway", "run", f["scenario_zh"], "--samples", "20"),
        *("--targets", f["targets"], "--db", f["db"]),
    ],
    "pathway compare": lambda f: [
        *("pathway", "compare", f["scenario_zh"], "--samples", "20", "--db", f["db"]),
    ],
    "org show": lambda f: ["org", "show", "--db", f["db"]],
    "audit log": lambda f: ["audit", "log", "--db", f["db"], "--limit", "3"],
    "campaign owes": lambda f: ["campaign", "owes", "SEP", "--year", "2024", "--db", f["db"]],
}


def _output(args: list[str], capsys) -> str:
    assert main(args) == 0, capsys.readouterr()
    return capsys.readouterr().out


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_in_chinese_leaves_no_english_outside_its_data(name, ledger, capsys):
    out = _output(["--lang", "zh", *COMMANDS[name](ledger)], capsys)
    # the ledger's own names: entity codes, targets' ids, tags, the login it was built as
    names = [*ENTITY_CODES, *WORD.findall(" ".join(TARGET_IDS + TAGS)), author_name(None)]
    allowed = load_allow_list().with_words(names)
    assert english_left(out, allowed) == [], out


# English stays as it was: the titles, headers and labels the user guide quotes.
ENGLISH = {
    "calc": [
        "Group results (operational control)",
        "indicator",
        "estimated",
        "Comprehensive energy consumption ",
        "│ tce        │ 294.960 │",
        "By entity, 2024 (cn-default)",
        "note(s) (values left empty, factors changing within a year, lines not counted) on",
        "; `--notes` lists them",
        "snapshot 1 sha256 ",
    ],
    "explain": [
        "ghg.scope2_location SEP 2023 = 1,526.64 tCO2e  sum of the months; each: (electricity −",
        "part 2023-01 = 127.220",
        "factor grid.electricity = ",
        "observation revision",
    ],
    "observations list": [
        "┃ entity ┃ period  ┃ indicator ",
        "┃ value ┃ unit ┃ status   ┃ revision ┃",
        "approved",
        "42 observation(s), first 5 shown",
    ],
    "observations history": ["┃ revision ┃ value ┃ unit ┃ status ", "source / reason", " row "],
    "targets status": [
        "Targets (cn-default, run rate to 2024-06)",
        "target / scope",
        "<= 300 tce in 2024",
        "missed (run rate)",
        "rate/yr",
        "warning energy-cap: the Jan-Jun 2024 run rate projects",
        "path: what the straight line from the base year asks for in the latest year",
    ],
    "pathway run": [
        "Growth: group, 20 samples, seed 2060",
        "│ 2023 actual │",
        "energy tce",
        "Scope 2 loc.",
        "Growth already peaked in the base year at 1,527 tCO2e",
        "Gap to targets (central case; P = share of samples meeting it)",
        "Marginal abatement cost curve, 2030 (location-based Scope 2)",
        "abatement tCO2e",
    ],
    "pathway compare": ["Scenarios side by side (20 samples, seed 2060)", "unit"],
    "org show": [
        "GRP Group (group)",
        "MET Metals (subsidiary, metals, 100%, grid east)",
        "SEP Separation (subsidiary, smelting_separation, 100%, grid north, #key-entity)",
    ],
    "audit log": ["┃ id ┃ at ", "┃ actor ┃ action ", "matching entries (newest first from 1)"],
    "campaign owes": [
        "┃ input ",
        "┃ by the rules ┃ owed ┃",
        "│ yes ",
        "SEP owes 205 input(s) for 2024",
    ],
}


@pytest.mark.parametrize("name", ENGLISH)
def test_a_command_in_english_prints_as_before(name, ledger, capsys):
    out = _output(["--lang", "en", *COMMANDS[name](ledger)], capsys)
    for text in ENGLISH[name]:
        assert text in out


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory) -> dict[str, str]:
    """What `esgledger demo` prints in each language (a fresh demo ledger each time)."""
    import contextlib
    import io

    printed = {}
    for lang in ("en", "zh"):
        folder = tmp_path_factory.mktemp(f"demo-{lang}")
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            args = ["--lang", lang, "demo", "--db", f"sqlite:///{folder / 'demo.db'}"]
            assert main([*args, "--out", str(folder)]) == 0
        printed[lang] = buffer.getvalue()
    return printed


def test_the_demo_summary_in_chinese(demo_output):
    """The demo's own lines are Chinese, its PACT products by their Chinese names; what it
    quotes (paths, commands, the accounts and the report's printed figures) is data and
    stays as it is."""
    out = demo_output["zh"]
    for line in (
        "导入往返核对：演示文件拆分自的 94 个集团合计中，有 94 个在台账中重新相加后一致",
        "集团结果（运营控制法）",
        "计算引擎的集团结果与参考报告对照（主要指标）",
        "│ 外购电力                       │ 兆瓦时 ",
        "参考报告公布的 116 个数字中，计算引擎复现了",
        "网页应用的演示账户",
        "┃ 用户名  ┃ 密码              ┃ 角色       ┃ 实体 ",
        "│ 管理员 ",
        "启动服务器：esgledger serve",
    ):
        assert line in out
    assert "烧结钕铁硼磁体" in out and "Sintered NdFeB magnet" not in out
    # no English wording of the demo's own lines is left (one-word headers are checked above)
    for code, text in texts("en").items():
        wording = text.split("{")[0].strip()
        if code.startswith("cli.demo.") and " " in wording:
            assert wording not in out, code


def test_the_demo_summary_in_english_is_as_before(demo_output):
    out = demo_output["en"]
    for line in (
        "Import round trip: 94 of 94 group totals the demo files were split from add up again",
        "25 entities, 7047 approved observations; 2022 and 2023 locked; snapshot 1 sha256",
        "Group results (operational control)",
        "The engine's group results against the reference report (headline)",
        "│ Purchased electricity          │ MWh          │    643,017 │",
        "published figures reproduced by the engine (6 cannot be computed) (engine results of",
        "Demo accounts for the web application",
        "│ manager │ demo-manager-pass │ group-manager │ all ",
        "Start the server: esgledger serve --db",
        "Serve the PACT host over HTTPS (a self-signed certificate for this machine):",
    ):
        assert line in out


def test_setting_up_a_ledger_in_chinese(tmp_path, capsys):
    """init, org load, import, submit, approve, lock and snapshot say what they did in
    Chinese (English: the summaries tests/cli/test_cli.py and the user guide quote)."""
    (tmp_path / "built").mkdir()
    ledger = build_ledger(tmp_path / "built")  # its files: org.yaml and data.csv
    folder, url = Path(ledger["folder"]), f"sqlite:///{tmp_path / 'zh.db'}"
    capsys.readouterr()
    for args in (
        ["init", "--years", "2023-2024"],
        ["org", "load", str(folder / "org.yaml")],
        ["import", str(folder / "data.csv")],
        ["submit"],
        ["approve"],
        ["lock", "2023"],
        ["snapshot"],
        ["org", "set", "SEP", "ownership_share=0.9"],
    ):
        assert main(["--lang", "zh", *args, "--db", url]) == 0
    out = capsys.readouterr().out
    assert "data.csv：读取 42 行，新修订 42 条，未变 0 条" in out
    assert "42 条填报数据已批准" in out
    # the database address is data: its path is blanked out first
    shown = out.replace(url, "URL")
    assert english_left(shown, load_allow_list().with_words(["URL", *ENTITY_CODES])) == [], shown
