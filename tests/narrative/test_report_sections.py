"""Approved report texts appear in the report, in its language, and the index points to
them; a text not yet approved does not; the report pins the versions it printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.narrative import workflow
from esgledger.report import ReportRequest, build_report, verify_report
from tests.narrative.blocks import (
    AUTHOR,
    CHAIRMAN_EN,
    CHAIRMAN_ZH,
    CONTACT_EN,
    CONTACT_ZH,
    REVIEWER,
    write,
)
from tests.report.conftest import make_small_ledger, pdf_text
from tests.report.latin_text import english_words

DRAFT_EN = "Outlook text still in review."
PINNED = '"key":"2024-chairman_message","record":'


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple:
    """A small ledger with an approved chairman's message and contact point, a submitted
    outlook, and its 2024 report in both languages, as HTML and PDF."""
    folder = tmp_path_factory.mktemp("narrative-report")
    database = make_small_ledger(folder, load_catalog())
    write(database, "chairman_message", CHAIRMAN_ZH, CHAIRMAN_EN)
    write(database, "contact_point", CONTACT_ZH, CONTACT_EN)
    write(database, "outlook", "展望仍在审核中。", DRAFT_EN, approve=False)
    out = folder / "report"
    build_report(
        database, load_catalog(), ReportRequest(2024), out, langs=["en", "zh"],
        formats=["html", "pdf"],
    )  # fmt: skip
    yield database, out
    database.dispose()


def text(out: Path, lang: str) -> str:
    return re.sub(r"\s+", "", pdf_text(out / f"esg-report-2024-{lang}.pdf"))


def test_each_pdf_prints_the_approved_texts_in_its_own_language(built):
    _, out = built
    chinese, english = text(out, "zh"), text(out, "en")
    assert re.sub(r"\s+", "", CHAIRMAN_ZH) in chinese and "董事长致辞" in chinese
    assert re.sub(r"\s+", "", CONTACT_ZH) in chinese
    assert re.sub(r"\s+", "", CHAIRMAN_EN) in english and "MessagefromtheChairman" in english
    assert re.sub(r"\s+", "", CONTACT_EN) in english
    assert CHAIRMAN_EN.replace(" ", "") not in chinese and CHAIRMAN_ZH not in english


def test_a_text_not_yet_approved_is_not_printed_nor_its_section(built):
    _, out = built
    english = text(out, "en")
    assert DRAFT_EN.replace(" ", "") not in english
    html = (out / "esg-report-2024-en.html").read_text(encoding="utf-8")
    assert 'id="s-outlook"' not in html and 'id="s-chairman_message"' in html


def test_the_chinese_texts_keep_the_chinese_pdf_free_of_english(built):
    _, out = built
    chairman = pdf_text(out / "esg-report-2024-zh.pdf").split("董事长致辞")[-1][:400]
    assert english_words(chairman) == []


@pytest.mark.parametrize(
    ("lang", "code", "section"),
    [
        ("en", "2-22", "Message from the Chairman"),
        ("zh", "2-22", "董事长致辞"),
        ("en", "2-3", "About this Report"),
    ],
)
def test_the_index_points_items_answered_by_a_text_to_its_section(built, lang, code, section):
    _, out = built
    rows = pdf_text(out / f"esg-report-2024-{lang}.pdf").splitlines()
    row = next(line for line in rows if line.lstrip().startswith(f"{code} "))
    assert section in row and not row.rstrip().endswith("/"), row


def test_the_index_marks_an_item_of_an_unapproved_text_as_not_disclosed(built):
    _, out = built
    html = (out / "esg-report-2024-en.html").read_text(encoding="utf-8")
    row = re.search(r'data-row="gri 2-29">(.*?)</tr>', html, re.S).group(1)
    assert 'class="missing"' in row  # 2-29 is the stakeholder text's, none approved


def payload(html: Path) -> dict:
    found = re.search(r'id="esgledger-report-data">(.*?)</script>', html.read_text("utf-8"), re.S)
    return json.loads(found.group(1))


def test_the_report_pins_the_versions_it_printed_and_verifies_after_a_new_one(built, tmp_path):
    database, out = built
    html = out / "esg-report-2024-en.html"
    pinned = {entry["key"]: entry["version"] for entry in payload(html)["narrative"]}
    assert pinned == {"2024-chairman_message": 3, "2024-contact_point": 3}
    with unit_of_work(database) as session:  # the text moves on after the build
        workflow.save_block(
            session, load_catalog(), AUTHOR,
            {"year": 2024, "kind": "chairman_message", "text_zh": "新文本。", "text_en": "New."},
            expected_version=3, reason="shorter",
        )  # fmt: skip
        workflow.submit_block(session, AUTHOR, "2024-chairman_message", expected_version=4)
        workflow.approve_block(session, REVIEWER, "2024-chairman_message", expected_version=5)
    result = verify_report(database, load_catalog(), html)
    assert result.ok, result.differences


def test_verify_finds_a_report_claiming_another_version(built, tmp_path):
    database, out = built
    source = (out / "esg-report-2024-en.html").read_text(encoding="utf-8")
    tampered = tmp_path / "esg-report-2024-en.html"
    tampered.write_text(
        source.replace(PINNED, PINNED + "9", 1),
        encoding="utf-8",
    )
    result = verify_report(database, load_catalog(), tampered)
    assert any(d.startswith("narrative:") for d in result.differences), result.differences
