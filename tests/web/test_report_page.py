"""The disclosure report built and downloaded from the web UI by a group manager."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from esgledger.api.routers.jobs import app_jobs_of
from esgledger.jobs.worker import Worker
from tests.web.conftest import csrf_of

FILE_LINK = re.compile(r'href="(/jobs/\w+/files/[0-9a-f]{64})"')


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_a_manager_builds_the_report_as_a_job_and_downloads_its_file(app, client_for, fmt):
    client = client_for("manager")
    page = client.get("/report")
    assert page.status_code == 200 and 'data-test="report-form"' in page.text
    response = client.post(
        "/report",
        data={"csrf_token": csrf_of(page.text), "year": "2023", "lang": "en", "format": fmt},
        follow_redirects=False,
    )
    assert response.status_code == 303  # queued: the request does not build
    job_page = response.headers["location"]
    assert 'data-finished="no"' in client.get(job_page).text
    assert Worker(app_jobs_of(app)).run(until_empty=True) == 1
    shown = client.get(job_page).text
    links = FILE_LINK.findall(shown)
    assert 'data-finished="yes"' in shown and len(links) == 1
    download = client.get(links[0])
    assert 'attachment; filename="esg-report-2023-en.' in download.headers["content-disposition"]
    if fmt == "html":
        assert "Purchased electricity" in download.text and "1,400" in download.text
    else:
        book = load_workbook(io.BytesIO(download.content))
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
