"""A refused upload or form save tells the reporter what to fix in the page's language."""

from __future__ import annotations

import html

from tests.web.conftest import csrf_of
from tests.web.test_forms import ELECTRICITY, FORM, post_form

TYPO = "energy.purchased_electrcity"
BAD_UNITS = "".join(
    f"SMELT,2024-{m:02d},{ELECTRICITY},100,t\n" for m in range(1, 13)
)  # every month of the year given in tonnes


def upload_bad_units(client) -> str:
    token = csrf_of(client.get(FORM).text)
    data = f"entity,period,indicator,value,unit\n{BAD_UNITS}SMELT,2024-01,{TYPO},9,MWh\n"
    response = client.post(
        f"{FORM}/upload",
        data={"csrf_token": token},
        files={"file": ("bad.csv", data.encode(), "text/csv")},
    )
    assert response.status_code == 422
    return html.unescape(response.text)


def test_the_upload_page_in_chinese_shows_the_problems_in_chinese(client_for):
    client = client_for("reporter")
    client.get("/lang/zh?next=/")
    page = upload_bad_units(client)
    assert "bad.csv：13 行中有 13 个问题，未导入任何数据。需修改 13 行，共 2 类问题" in page
    assert "第 2-13 行（共 12 行），'unit' 列（值 't'）：t（质量）无法换算为 MWh（能量）" in page
    assert "未知的指标。请使用 `esgledger template` 或指标目录中的指标编号" in page
    assert f"（是否想写 '{ELECTRICITY}'？）" in page
    assert "cannot be converted" not in page and "unknown indicator" not in page


def test_the_upload_page_in_english_groups_the_same_problem(client_for):
    page = upload_bad_units(client_for("reporter"))
    assert "bad.csv: 13 problem(s) in 13 row(s); nothing was imported." in page
    assert "rows 2-13 (12 rows), column 'unit' (value 't'): t (mass) cannot be converted" in page
    assert page.count("cannot be converted") == 1


def test_a_form_field_in_chinese_says_its_problem_in_chinese(client_for):
    client = client_for("reporter")
    client.get("/lang/zh?next=/")
    response = post_form(client, {ELECTRICITY: "十二"})
    assert response.status_code == 422
    assert "数值不是数字。请填写纯数字" in html.unescape(response.text)
