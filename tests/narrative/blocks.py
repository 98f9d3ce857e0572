"""Report texts for tests: written, submitted and approved through the workflow."""

from __future__ import annotations

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.narrative import workflow

AUTHOR = Principal(1, "writer", Role.GROUP_MANAGER, None)
REVIEWER = Principal(2, "reviewer", Role.ADMIN, None)

CHAIRMAN_ZH = "二〇二四年，我们坚持绿色低碳发展，建成稀土行业首个碳核算平台。"
CHAIRMAN_EN = "In 2024 we kept to low-carbon growth and built the first carbon platform."
CONTACT_ZH = "读者意见请寄至集团证券部，电话 0472-2207799。"
CONTACT_EN = "Send comments on this report to the Securities Department, tel. 0472-2207799."


def write(database, kind: str, zh: str, en: str, *, approve: bool = True, **more) -> str:
    """A block of ``kind`` for 2024, submitted and (unless told) approved; returns its key."""
    fields = {"year": 2024, "kind": kind, "text_zh": zh, "text_en": en, **more}
    with unit_of_work(database) as session:
        saved = workflow.save_block(session, load_catalog(), AUTHOR, fields, expected_version=0)
        key = saved.key
        workflow.submit_block(session, AUTHOR, key, expected_version=1)
        if approve:
            workflow.approve_block(session, REVIEWER, key, expected_version=2)
    return key
