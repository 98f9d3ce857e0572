"""The register's pages in both languages: add an item, see it on the heat map, its history."""

from __future__ import annotations

import io

import openpyxl

from tests.api.conftest import Api


def _form(csrf: str, **changes: str) -> dict[str, str]:
    values = {
        "csrf_token": csrf, "expected_version": "0", "key": "CR-H1",
        "category": "physical.acute", "title_zh": "极端高温", "title_en": "Extreme heat",
        "entities": "SMELT", "horizon": "short", "likelihood": "4", "impact": "5",
        "current_low": "", "current_high": "", "anticipated_low": "100", "anticipated_high": "300",
        "anticipated_currency": "10^4 CNY", "anticipated_line": "operating_expenses",
        "metrics": "energy.total", "derived_year": "",
    }  # fmt: skip
    values.update(changes)
    return values


def test_an_item_added_in_the_form_shows_on_the_heat_map_and_in_the_table(api: Api) -> None:
    client, csrf = api.login("smelt")
    client.cookies.set("lang", "zh")
    saved = client.post("/climate/edit", data=_form(csrf), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/climate/item/CR-H1"
    page = client.get("/climate").text
    cell = page.split('data-test="cell-4-5"')[1].split("</td>")[0]
    assert "CR-H1" in cell and "热力图" in page
    detail = client.get("/climate/item/CR-H1").text
    assert "极端高温" in detail and "100 – 300" in detail and "版本" in detail
    book = client.get("/climate", params={"xlsx": "climate"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert [c.value for c in sheet[2]][:2] == ["CR-H1", "极端高温"]


def test_a_bad_form_shows_each_problem_in_chinese_and_saves_nothing(api: Api) -> None:
    client, csrf = api.login("admin")
    client.cookies.set("lang", "zh")
    bad = _form(csrf, likelihood="7", metrics="ghg.nothing", anticipated_low="500",
                anticipated_currency="USD")  # fmt: skip
    answer = client.post("/climate/edit", data=bad)
    assert answer.status_code == 422
    assert "超出量表范围" in answer.text and "不在指标目录中" in answer.text
    assert "下限" in answer.text and "不是人民币" in answer.text
    assert 'value="7"' in answer.text  # the form keeps what was typed
    assert client.get("/climate/item/CR-H1").status_code == 404


def test_an_edit_appends_a_version_and_a_stale_one_is_refused(api: Api) -> None:
    client, csrf = api.login("admin")
    client.post("/climate/edit", data=_form(csrf))
    form = client.get("/climate/edit", params={"key": "CR-H1"}).text
    assert 'name="expected_version" value="1"' in form
    changed = client.post("/climate/edit", data=_form(csrf, expected_version="1", impact="2",
                                                       reason="new cooling"))  # fmt: skip
    assert changed.status_code == 200 and "new cooling" in changed.text
    stale = client.post("/climate/edit", data=_form(csrf, expected_version="1", impact="3"))
    assert stale.status_code == 422 and "version 2" in stale.text


def test_other_entities_items_and_the_scenarios_stay_hidden_from_a_reporter(api: Api) -> None:
    admin, csrf = api.login("admin")
    admin.post("/climate/edit", data=_form(csrf, key="CR-M", entities="METAL"))
    client, _ = api.login("smelt")
    assert "CR-M" not in client.get("/climate").text
    assert client.get("/climate/item/CR-M").status_code == 404
    assert client.get("/climate/scenarios").status_code == 404
    auditor, _ = api.login("auditor")
    assert "CR-M" in auditor.get("/climate").text
    assert auditor.get("/climate/edit").status_code == 403


def test_the_item_page_shows_the_text_of_its_language_and_falls_back_to_the_other(
    api: Api,
) -> None:
    client, csrf = api.login("smelt")
    texts = {"description_zh": "高温导致停工", "description_en": "Heat stops work",
             "response_en": "Shift hours in summer"}  # fmt: skip
    assert client.post("/climate/edit", data=_form(csrf, **texts)).status_code == 200
    client.cookies.set("lang", "zh")
    zh = client.get("/climate/item/CR-H1").text
    assert "高温导致停工" in zh and "Heat stops work" not in zh
    assert '<dd lang="en">Shift hours in summer</dd>' in zh  # no Chinese response: marked English
    client.cookies.set("lang", "en")
    en = client.get("/climate/item/CR-H1").text
    assert "Heat stops work" in en and "高温导致停工" not in en
    edit = client.get("/climate/edit", params={"key": "CR-H1"}).text
    assert ">高温导致停工</textarea>" in edit and ">Heat stops work</textarea>" in edit
