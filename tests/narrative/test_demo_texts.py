"""The demo's report texts: approved, in both languages, with a contact point for GRI 2-3,
marked as demo text, and Chinese that keeps the Chinese report free of English."""

from __future__ import annotations

import yaml

from esgledger.demo.narrative import DATA
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.narrative.reads import approved_blocks, year_blocks
from tests.report.latin_text import english_words

KINDS = {
    "chairman_message",
    "governance",
    "stakeholder_communication",
    "case_study",
    "outlook",
    "contact_point",
}


def test_the_demo_texts_are_marked_and_their_chinese_holds_no_english():
    blocks = yaml.safe_load(DATA.read_text(encoding="utf-8"))["blocks"]
    assert {b["kind"] for b in blocks} == KINDS
    for block in blocks:
        assert block["text_zh"].rstrip().endswith("（演示文本）"), block["kind"]
        assert block["text_en"].rstrip().endswith("(Demo text.)"), block["kind"]
        assert block["source"].startswith("Demo text."), block["kind"]
        chinese = block["text_zh"] + block.get("title_zh", "")
        assert english_words(chinese) == [], (block["kind"], english_words(chinese))


def test_the_demo_ledger_holds_every_text_approved_by_a_second_user(demo_ledger):
    database = open_database(demo_ledger.url)
    try:
        with unit_of_work(database) as session:
            current, printed = year_blocks(session, 2024), approved_blocks(session, 2024)
    finally:
        database.dispose()
    assert [b.key for b in printed] == [b.key for b in current]
    assert {b.block.kind for b in printed} == KINDS
    for block in printed:
        assert block.block.reviewed_by not in (block.block.edited_by, block.block.submitted_by)
    contact = next(b for b in printed if b.block.kind == "contact_point").block
    assert "cnrezqb@126.com" in contact.text_zh and "cnrezqb@126.com" in contact.text_en
