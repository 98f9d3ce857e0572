"""Templates and error files over HTTP: the web pages' downloads and their API twins."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook

from tests.web.conftest import csrf_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ELECTRICITY = "energy.purchased_electricity"


def workbook(response):
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == XLSX
    return load_workbook(BytesIO(response.content))


def broken_file() -> bytes:
    book = Workbook()
    book.active.append(["entity", "period", "indicator", "value", "unit"])
    book.active.append(["SMELT", "2024-01", ELECTRICITY, 10, "MWh"])
    book.active.append(["SMELT", "2024-02", ELECTRICITY, -4, "MWh"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "mine.xlsx"):
    token = csrf_of(client.get("/entry/SMELT/2024-01").text)
    return client.post(
        "/entry/SMELT/2024-01/upload",
        data={"csrf_token": token},
        files={"file": (name, content, XLSX)},
    )


def test_the_entry_pages_offer_the_template_per_entity(client_for):
    client = client_for("manager")
    index = client.get("/entry").text
    assert 'href="/entry/SMELT/2024/template.xlsx"' in index
    assert 'href="/entry/METAL/2024/template.xlsx"' in index
    form = client.get("/entry/SMELT/2024-03").text
    assert 'href="/entry/SMELT/2024/template.xlsx"' in form


def test_the_template_download_is_in_the_pages_language_with_last_year(client_for):
    client = client_for("reporter")
    english = workbook(client.get("/entry/SMELT/2024/template.xlsx"))
    assert english.sheetnames == ["README", "SMELT"]
    client.get("/lang/zh?next=/")
    chinese = workbook(client.get("/entry/SMELT/2024/template.xlsx"))
    assert chinese.sheetnames == ["说明", "SMELT"]
    sheet = chinese["SMELT"]
    assert sheet["A2"].value == "指标代码"
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    assert sheet[f"C{rows[ELECTRICITY]}"].value == 1000  # seeded: 2023-01, 1,000 MWh


def test_a_reporter_gets_no_template_of_another_entity(client_for):
    client = client_for("reporter")
    assert client.get("/entry/METAL/2024/template.xlsx").status_code == 404
    assert client.get("/api/v1/templates/METAL/2024").status_code == 404
    assert client.get("/entry/SMELT/2031/template.xlsx").status_code == 404


def test_a_refused_upload_offers_its_error_file_to_its_uploader_only(client_for):
    client = client_for("reporter")
    refused = upload(client, broken_file())
    assert refused.status_code == 422
    link = refused.text.split('data-test="error-file"')[0].rsplit('href="', 1)[1].split('"')[0]
    link = link.replace("&amp;", "&")
    assert link.startswith("/import-errors/") and "name=mine-errors.xlsx" in link
    book = workbook(client.get(link))
    assert book.sheetnames == ["Import errors", "Sheet"]
    assert book["Sheet"]["F3"].value.startswith("D: ")
    assert "mine-errors.xlsx" in client.get(link).headers["content-disposition"]
    other = client_for("manager")
    assert other.get(link).status_code == 404
    assert client.get("/import-errors/" + "x" * 43 + ".xlsx").status_code == 404
    assert client.get("/api/v1/observations?entity=SMELT&period=2024-01").json()["items"] == []


def test_a_good_upload_offers_no_error_file(client_for):
    client = client_for("reporter")
    book = load_workbook(BytesIO(broken_file()))
    book.active["D3"] = 4
    out = BytesIO()
    book.save(out)
    response = upload(client, out.getvalue())
    assert response.status_code == 200 and 'data-test="error-file"' not in response.text


def test_the_api_gives_the_template_and_the_error_file(client_for):
    client = client_for("reporter")
    book = workbook(client.get("/api/v1/templates/SMELT/2024?lang=en"))
    assert book["SMELT"]["A2"].value == "Indicator code"
    files = {"file": ("mine.xlsx", broken_file(), XLSX)}
    csrf = {"x-csrf-token": csrf_of(client.get("/entry").text)}
    errors = workbook(client.post("/api/v1/imports/error-file?lang=zh", files=files, headers=csrf))
    assert errors.sheetnames[0] == "导入错误"
    assert errors.worksheets[0]["C3"].value == 3
    book = load_workbook(BytesIO(broken_file()))
    book.active["D3"] = 4
    out = BytesIO()
    book.save(out)
    clean = client.post(
        "/api/v1/imports/error-file",
        files={"file": ("ok.xlsx", out.getvalue(), XLSX)},
        headers=csrf,
    )
    assert clean.status_code == 204
    assert client.get("/api/v1/observations?entity=SMELT&period=2024-01").json()["items"] == []


def test_the_template_lists_what_the_entity_owes(app, client_for):
    """With the collection obligations present, exactly the owed rows (no group disclosures
    for a smelter); without them, every input indicator."""
    from esgledger.api.routers.templates import owed_for
    from esgledger.ledger.database import unit_of_work

    sheet = workbook(client_for("reporter").get("/entry/SMELT/2024/template.xlsx"))["SMELT"]
    listed = [sheet[f"A{r}"].value for r in range(3, sheet.max_row + 1)]
    catalog = app.state.catalog
    with unit_of_work(app.state.database) as session:
        owed = owed_for(session, catalog, "SMELT", 2024)
    assert listed == [i.id for i in catalog.inputs() if i.id in set(owed)]
    try:
        import esgledger.collection.obligations  # noqa: F401
    except ImportError:
        assert len(listed) == len(catalog.inputs())
    else:
        assert ELECTRICITY in listed and not any(i.startswith("governance.") for i in listed)


def test_a_closed_year_or_a_lost_error_file_is_said_in_the_pages_language(client_for):
    client = client_for("reporter")
    client.headers["accept-language"] = "zh-CN"  # what a Chinese browser sends
    closed = client.get("/entry/SMELT/2031/template.xlsx")
    assert closed.status_code == 404 and "2031 年不是本台账的报告年度" in closed.text
    gone = client.get("/import-errors/" + "x" * 43 + ".xlsx")
    assert gone.status_code == 404 and "该错误文件已不再保留" in gone.text
