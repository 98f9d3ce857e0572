"""One value, one unit and one name per KPI in everything the software prints.

On the demo ledger, every (indicator, scope, period) read back from the report HTML (both
languages), the XLSX annex (both languages), the dashboard JSON, the API's /results and the
`calc` JSON export must carry one value (equal within the printed precision), one unit and,
per language, one name; a name that speaks of a scope (the 7 key entities, a segment) must
only ever be printed over that scope's figures; the identities the tables imply (water
consumption = withdrawal - discharge, the key entities' YoY change, a target's latest value)
must hold; the dashboard's charts print what its tables print; and the report counts
entities by the one rule (OrgTree.boundary_counts).
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.report.conftest import pdf_text
from tests.report.printed import (
    Printed,
    from_annex,
    from_dashboard,
    from_long_rows,
    from_report_html,
    read_json_rows,
)
from tests.web.conftest import log_in

from esgledger.auth import credentials, service
from esgledger.cli.main import main
from esgledger.ledger.database import unit_of_work
from esgledger.report.verify import payload_of
from esgledger.settings import Settings
from esgledger.units import conversion_factor
from esgledger.web.app import create_app

# Phrases of indicator names (as the catalog and the reference report word them) and the one
# boundary each promises. Kept here, apart from the catalog's `scope:` fields,
# so that the check does not take the code's word for what a name means.
PROMISES = {
    "7 key entities": "tag:key-entity",
    "重点单位": "tag:key-entity",
    "重点用能单位": "tag:key-entity",
    "smelting & separation segment": "segment:smelting_separation",
    "冶炼分离板块": "segment:smelting_separation",
    "metal facilities": "segment:metals",
    "金属板块": "segment:metals",
}
ORG_FILE = Path(str(files("esgledger.demo") / "data" / "org.yaml"))
_NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


@pytest.fixture(scope="module")
def outputs(demo_report, catalog, tmp_path_factory) -> dict:
    """Every output of the demo ledger, read back: figures, goals, pages."""
    folder = tmp_path_factory.mktemp("outputs")
    figures, goals = [], []
    for lang in ("en", "zh"):
        found, goal_list = from_report_html(demo_report.path(lang, "html"), lang)
        figures += found + from_annex(demo_report.path(lang, "xlsx"), lang)
        goals += goal_list
    snapshot = demo_report.result.snapshot_id
    export = folder / "calc.json"
    argv = ["calc", "--db", demo_report.db_url, "--factors", str(demo_report.factors)]
    assert main([*argv, "--snapshot", str(snapshot), "--out", str(export)]) == 0
    figures += from_long_rows(read_json_rows(export), "calc")
    writable = demo_report.ledger.copy_to(folder)  # a token and a login write to the ledger
    settings = Settings(db=writable, secure_cookies=False, factor_files=[str(demo_report.factors)])
    app = create_app(settings)
    with unit_of_work(app.state.database) as session:
        token = credentials.create_api_token(session, service.get_user(session, "manager"), "kpi")
    api = TestClient(app)
    api.headers["Authorization"] = f"Bearer {token}"
    figures += from_dashboard(api.get("/api/v1/dashboard").json(), catalog)
    figures += from_long_rows(_all_results(api), "api")
    browser = TestClient(app)
    assert log_in(browser, "manager", "demo-manager-pass").status_code == 303
    pages = {}
    for lang in ("en", "zh"):
        browser.cookies.set("lang", lang)
        pages[lang] = browser.get("/").text
    app.state.database.dispose()
    return {"figures": figures, "goals": goals, "dashboard": pages}


def _all_results(api: TestClient) -> list[dict]:
    rows: list[dict] = []
    while True:
        page = api.get("/api/v1/results", params={"limit": 1000, "offset": len(rows)}).json()
        rows += page["items"]
        if len(rows) >= page["total"]:
            return rows


def test_every_output_is_read(outputs):
    sources = {p.source for p in outputs["figures"]}
    assert sources == {"html-en", "html-zh", "xlsx-en", "xlsx-zh", "dashboard", "api", "calc"}


def test_each_figure_has_one_value_and_one_unit_everywhere(outputs):
    by_key: dict[tuple, list[Printed]] = defaultdict(list)
    for figure in outputs["figures"]:
        by_key[figure.key].append(figure)
    disagreements = []
    for key, seen in by_key.items():
        first = seen[0]
        for other in seen[1:]:
            value = other.value * conversion_factor(other.unit, first.unit)
            margin = first.tolerance + other.tolerance + 1e-9 * max(1.0, abs(first.value))
            if abs(value - first.value) > margin:
                disagreements.append(
                    f"{key}: {first.source} {first.value} {first.unit} vs "
                    f"{other.source} {other.value} {other.unit}"
                )
    assert not disagreements, "\n".join(disagreements[:20])


def test_one_unit_per_indicator_as_written(outputs):
    units: dict[str, set[str]] = defaultdict(set)
    for figure in outputs["figures"]:
        units[figure.indicator].add(figure.unit)
    assert {i: u for i, u in units.items() if len(u) > 1} == {}


def test_a_name_that_promises_a_scope_is_printed_only_over_that_scope(outputs, catalog):
    broken = set()
    for figure in outputs["figures"]:
        names = [figure.label] if figure.label else []
        names += [catalog.get(figure.indicator).name(lang) for lang in ("en", "zh")]
        for phrase, scope in PROMISES.items():
            if any(phrase in name for name in names) and figure.scope != scope:
                broken.add(
                    f"{figure.source}: {figure.indicator} at {figure.scope} "
                    f"{figure.period} = {figure.value:g} is named '{phrase}' ({scope})"
                )
    assert not broken, "\n".join(sorted(broken)[:20])


def test_one_name_per_indicator_and_language(outputs):
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    labels: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for figure in outputs["figures"]:
        if figure.source.startswith("xlsx") and figure.label:
            names[(figure.indicator, figure.lang)].add(figure.label)
    for figure in outputs["figures"]:
        if figure.source.startswith("html") and figure.label:
            bare = names.get((figure.indicator, figure.lang), set())
            assert any(figure.label.startswith(name) for name in bare), figure
            labels[(figure.label, figure.lang)].add((figure.indicator, figure.scope))
    assert {k: v for k, v in names.items() if len(v) > 1} == {}
    assert {k: v for k, v in labels.items() if len(v) > 1} == {}  # one label, one figure


def _values(outputs) -> dict[tuple[str, str, str], float]:
    return {f.key: f.value for f in outputs["figures"] if f.source.startswith("html")}


def test_water_consumption_is_withdrawal_minus_discharge_wherever_printed(outputs):
    values = _values(outputs)
    checked = 0
    for (indicator, scope, period), consumption in values.items():
        if indicator != "water.consumption":
            continue
        withdrawal = values[("water.fresh_withdrawal", scope, period)]
        discharge = values[("wastewater.total_discharge", scope, period)]
        assert consumption == pytest.approx(withdrawal - discharge), (scope, period)
        checked += 1
    assert checked >= 3  # three years of the group


def test_the_key_entities_yoy_change_is_theirs(outputs):
    values = _values(outputs)
    changes = {k: v for k, v in values.items() if k[0] == "energy.intensity_key_entities_yoy"}
    assert changes and {scope for _, scope, _ in changes} == {"tag:key-entity"}
    for (_, scope, period), change in changes.items():
        now = values[("energy.intensity_per_treo", scope, period)]
        before = values[("energy.intensity_per_treo", scope, str(int(period) - 1))]
        assert change == pytest.approx((now / before - 1) * 100)
    assert changes[("energy.intensity_key_entities_yoy", "tag:key-entity", "2024")] == (
        pytest.approx(-7.17, abs=0.005)
    )


def test_a_targets_latest_value_is_the_printed_figure(outputs):
    values = _values(outputs)
    goals = outputs["goals"]
    judged = {(g.indicator, g.scope) for g in goals}
    assert ("ghg.intensity_key_entities", "tag:key-entity") in judged
    assert ("energy.intensity_per_treo", "tag:key-entity") in judged  # the -6 % YoY target
    for goal in goals:
        if goal.kind == "change_yoy":
            now = values[(goal.indicator, goal.scope, goal.period)]
            before = values[(goal.indicator, goal.scope, str(int(goal.period) - 1))]
            assert goal.value == pytest.approx((now / before - 1) * 100), goal
        else:
            assert goal.value == pytest.approx(values[(goal.indicator, goal.scope, goal.period)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_dashboard_charts_print_what_its_tables_print(outputs, lang):
    page = outputs["dashboard"][lang]
    section = page[page.index('id="intensities"') : page.index('id="emissions"')]
    chart = section[section.index("<svg") : section.index("</svg>")]
    table = section[section.index("<table") :]
    years = set(re.findall(r"<th class=\"num\">(\d{4})</th>", table))  # the x axis
    numbers = {t for t in re.findall(r">([^<>]+)</text>", chart) if _NUMBER.match(t.strip())}
    drawn = numbers - years
    shown = {html.unescape(t) for t in re.findall(r">([-\d,.]+)</a>", table)}
    assert drawn and not drawn - shown, sorted(drawn - shown)


def test_the_report_counts_entities_by_the_boundary_rule(demo_report):
    kinds = [e["kind"] for e in yaml.safe_load(ORG_FILE.read_text("utf-8"))["entities"]]
    affiliates = sum(k in ("subsidiary", "branch") for k in kinds)
    facilities = kinds.count("facility")
    english = demo_report.path("en", "html").read_text("utf-8")
    assert f"the {affiliates} branches and subsidiaries of its group ledger" in english
    assert f"({facilities} facilities of theirs report separately)" in english
    chinese = demo_report.path("zh", "html").read_text("utf-8")
    assert f"{affiliates}家分子公司（其下{facilities}个生产设施单独填报）" in chinese
    assert not math.isnan(affiliates)


SCOPED = {
    "energy.intensity_key_entities_yoy": "tag:key-entity",
    "ghg.intensity_key_entities": "tag:key-entity",
    "ghg.intensity_smelting_separation": "segment:smelting_separation",
    "ghg.intensity_metals": "segment:metals",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_prints_the_scoped_figures_of_the_html(demo_report, catalog, lang):
    """The PDF is the HTML printed by Chromium: each scoped row's label and 2024 figure."""
    text = re.sub(r"\s+", " ", pdf_text(demo_report.path(lang, "pdf")))
    values = {v["key"]: v for v in payload_of(demo_report.path(lang, "html"))["values"]}
    for indicator, scope in SCOPED.items():
        printed = values[f"{indicator}|{scope}|2024"]["text"]
        name = catalog.get(indicator).name(lang)
        places = [m.start() for m in re.finditer(re.escape(name[:12]), text)]
        assert places, name
        assert any(printed in text[at : at + 400] for at in places), (indicator, printed)
