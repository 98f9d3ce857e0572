"""/docs and /redoc come with their assets: no request leaves the server.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN, so offline /docs was
blank. The browser half of this check is in test_browser.py (the operations render with
every request to another host refused).
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

REFERENCE = re.compile(r"""(?:src|href|spec-url|data-openapi-url)=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_reference_only_this_server(app: FastAPI, page: str):
    client = TestClient(app)
    html = client.get(page).text
    assert "//" not in html.replace("<!doctype html>", ""), "an absolute or external URL"
    assets = REFERENCE.findall(html)
    assert len(assets) >= 3, assets  # the script, the style or icon, the API description
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.strip(), url


def test_swagger_ui_is_started_by_a_script_file_not_an_inline_script(app: FastAPI):
    html = TestClient(app).get("/docs").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all("src=" in attrs and body.strip() == "" for attrs, body in scripts)
