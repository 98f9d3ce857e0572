"""One Chinese form per glossary term in the dashboard, the report and its XLSX annex.

The three outputs of the demo group are read in Chinese; each must print every glossary
term the way the glossary writes it and none of the forms it lists under ``avoid``.
"""

from __future__ import annotations

import doctest

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from esgledger import glossary
from esgledger.errors import EsgError
from esgledger.glossary import COUNT_UNIT, load_glossary
from esgledger.settings import Settings
from esgledger.web.app import create_app

# Terms each output must print (the others may be absent, but never in another form).
EXPECTED = {
    "dashboard": {"scope1", "scope2", "scope3", "tce", "tco2e"},
    "report": {"total_energy", "tce", "tco2e", "scope1", "scope2", "scope3", "emission_factor"},
    "annex": {"scope1", "scope2", "scope3", "tce", "tco2e"},
}


@pytest.fixture(scope="module")
def outputs(demo_report, tmp_path_factory) -> dict[str, str]:
    """The dashboard page, the report's HTML and the annex's cells, all in Chinese."""
    url = demo_report.ledger.copy_to(tmp_path_factory.mktemp("glossary"))  # logins write
    settings = Settings(db=url, secure_cookies=False, factor_files=[str(demo_report.factors)])
    client = TestClient(create_app(settings))
    client.get("/login")
    login = {"username": "admin", "password": "demo-admin-pass"}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    client.cookies.set("lang", "zh")
    annex = load_workbook(demo_report.path("zh", "xlsx"), read_only=True)
    cells = [str(c) for s in annex.worksheets for r in s.iter_rows(values_only=True) for c in r]
    return {
        "dashboard": client.get("/").text,
        "report": demo_report.path("zh", "html").read_text(encoding="utf-8"),
        "annex": "\n".join(c for c in cells if c != "None"),
    }


def test_the_glossary_documents_itself():
    assert doctest.testmod(glossary).failed == 0


def test_an_unknown_term_is_refused_in_the_readers_language():
    with pytest.raises(EsgError) as caught:
        load_glossary().term("scope_four", "zh")
    assert caught.value.code == "glossary.no_term"
    assert caught.value.render("zh") == "术语表中没有术语 'scope_four'"


@pytest.mark.parametrize("output", list(EXPECTED))
def test_each_output_writes_each_term_one_way(outputs, output):
    text = outputs[output]
    assert [str(m) for m in load_glossary().misused_terms(text)] == []
    terms = {t.id: t for t in load_glossary().terms}
    missing = [terms[i].zh for i in EXPECTED[output] if terms[i].zh not in text]
    assert missing == [], f"{output} does not print {missing}"


def test_a_page_using_another_form_of_a_term_is_caught(outputs):
    page = outputs["dashboard"].replace("范围一", "范围1", 1)
    assert [m.term.id for m in load_glossary().misused_terms(page)] == ["scope1"]


def test_every_count_indicator_has_one_count_word(catalog):
    counted = load_glossary().count_words
    counts = {i.id for i in catalog if i.unit == COUNT_UNIT}
    assert sorted(counts - set(counted)) == []  # a new count indicator needs its word
    assert sorted(set(counted) - counts) == []  # a word for a non-count or unknown id


def test_a_count_reads_as_its_count_word_in_the_report_and_the_annex(outputs, demo_report):
    assert '<td class="unit">次</td>' in outputs["report"]  # e.g. emergency drills
    values = load_workbook(demo_report.path("zh", "xlsx"), read_only=True).worksheets[1]
    words = {row[1]: row[-1] for row in values.iter_rows(min_row=2, values_only=True)}
    assert words["safety.emergency_drills"] == "次"
    assert words["energy.total"] == "吨标准煤"
