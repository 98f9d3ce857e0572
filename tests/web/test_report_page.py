"""The disclosure report built and downloaded from the web UI by a group manager."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.web.conftest import csrf_of


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_manager_downloads_the_report(client_for, fmt):
    client = client_for("manager")
    page = client.get("/report")
    assert page.status_code == 200 and 'data-test="report-form"' in page.text
    response = client.post(
        "/report",
        data={"csrf_token": csrf_of(page.text), "year": "2023", "lang": "en", "format": fmt},
    )
    assert response.status_code == 200
    assert 'attachment; filename="esg-report-2023-en.' in response.headers["content-disposition"]
    if fmt == "html":
        assert "Purchased electricity" in response.text and "1,400" in response.text
    else:
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames


def test_reporters_and_auditors_cannot_build_reports(client_for):
    for user in ("reporter", "auditor"):
        client = client_for(user)
        assert client.get("/report").status_code == 403
        token = csrf_of(client.get("/").text)
        response = client.post(
            "/report", data={"csrf_token": token, "year": "2023", "lang": "en", "format": "html"}
        )
        assert response.status_code == 403


def test_a_bad_choice_is_a_clear_message(client_for):
    client = client_for("manager")
    token = csrf_of(client.get("/report").text)
    response = client.post(
        "/report", data={"csrf_token": token, "year": "2023", "lang": "fr", "format": "html"}
    )
    assert response.status_code == 400
    assert "choose a year, a language (en, zh)" in response.text
