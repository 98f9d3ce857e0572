"""The API answers a refused import in the language the request accepts first."""

from __future__ import annotations

from tests.api.test_observations import csv_bytes
from tests.import_files import ELECTRICITY

ROWS = [("SMELT", f"2024-{m:02d}", ELECTRICITY, "5", "t", "") for m in (1, 2)]


def post(api, accept_language: str | None):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    files = {"file": ("units.csv", csv_bytes(ROWS), "text/csv")}
    response = api.client("admin").post("/api/v1/imports", files=files, headers=headers)
    assert response.status_code == 422
    return response.json()


def test_a_chinese_request_gets_chinese_problems_with_stable_codes(api):
    body = post(api, "zh-CN,zh;q=0.9,en;q=0.8")
    assert body["error"]["message"].startswith("units.csv：2 行中有 2 个问题，未导入任何数据")
    first = body["errors"][0]
    assert first["code"] == "import.unit_incompatible" and first["field"] == "unit"
    assert first["message"].startswith("t（质量）无法换算为 MWh（能量）")


def test_any_other_request_gets_english(api):
    for language in (None, "en-GB", "fr"):
        body = post(api, language)
        assert body["error"]["message"].startswith("units.csv: 2 problem(s) in 2 row(s)")
        assert body["errors"][0]["message"].startswith("t (mass) cannot be converted to MWh")
