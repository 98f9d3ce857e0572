"""A report text from draft to approval, and every step the rules refuse (nothing written)."""

from __future__ import annotations

import pytest

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.catalog import load_catalog
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.records import RecordConflict
from esgledger.ledger.verify import verify_ledger
from esgledger.narrative import workflow
from esgledger.narrative.reads import approved_blocks, block_history, get_block, year_blocks
from esgledger.narrative.workflow import ReviewRefused

AUTHOR = Principal(1, "writer", Role.GROUP_MANAGER, None)
REVIEWER = Principal(2, "reviewer", Role.GROUP_MANAGER, None)
REPORTER = Principal(3, "smelter", Role.REPORTER, frozenset({"SMELT"}))
AUDITOR = Principal(4, "auditor", Role.AUDITOR, None)
KEY = "2024-outlook"


def outlook(**changes) -> dict:
    fields = {
        "year": 2024,
        "kind": "outlook",
        "text_zh": "展望二〇二五年，我们将坚持绿色发展。",
        "text_en": "In 2025 we will keep to green development.",
        "answers": ["sse14:Art.53"],
    }
    return {**fields, **changes}


def save(ledger, version=0, principal=AUTHOR, reason=None, **changes):
    with unit_of_work(ledger) as session:
        return workflow.save_block(
            session, load_catalog(), principal, outlook(**changes),
            expected_version=version, reason=reason,
        )  # fmt: skip


def step(ledger, name, version, principal, **kwargs):
    with unit_of_work(ledger) as session:
        return getattr(workflow, f"{name}_block")(
            session, principal, KEY, expected_version=version, **kwargs
        )


def refused(ledger, code, call, *args, **kwargs) -> EsgError:
    with pytest.raises(EsgError) as caught:
        call(ledger, *args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_a_block_goes_from_draft_to_approval_and_keeps_every_version(ledger):
    save(ledger)
    step(ledger, "submit", 1, AUTHOR)
    approved = step(ledger, "approve", 2, REVIEWER, comment="reads well")
    assert approved.block.status == "approved" and approved.block.reviewed_by == "reviewer"
    with unit_of_work(ledger) as session:
        history = block_history(session, KEY)
        printed = approved_blocks(session, 2024)
    assert [(v.version, v.author, v.block.status) for v in history] == [
        (1, "writer", "draft"),
        (2, "writer", "submitted"),
        (3, "reviewer", "approved"),
    ]
    assert [(b.key, b.version) for b in printed] == [(KEY, 3)]
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok  # each step sealed by the audit log


def test_the_author_cannot_approve_their_own_text_in_either_language(ledger):
    save(ledger)
    step(ledger, "submit", 1, REVIEWER)  # submitted by another, written by AUTHOR
    error = refused(ledger, "narrative_block.self_approval", step, "approve", 2, AUTHOR)
    assert isinstance(error, ReviewRefused)
    assert "another reviewer must approve" in error.render("en")
    assert "须由另一位审核人批准" in error.render("zh")
    refused(ledger, "narrative_block.self_approval", step, "approve", 2, REVIEWER)  # submitter
    with unit_of_work(ledger) as session:
        assert get_block(session, KEY).version == 2  # nothing written


def test_an_edit_made_on_a_stale_version_is_refused(ledger):
    save(ledger)
    save(ledger, version=1, reason="shorter", text_en="In 2025: green development.")
    with pytest.raises(RecordConflict) as caught:
        save(ledger, version=1, reason="mine", text_en="Another text.")
    assert caught.value.code == "records.stale"
    assert "第 2 版" in caught.value.render("zh")
    with unit_of_work(ledger) as session:
        assert get_block(session, KEY).block.text_en == "In 2025: green development."


def test_an_unapproved_block_is_not_printed_and_an_edit_keeps_the_approved_text(ledger):
    save(ledger)
    with unit_of_work(ledger) as session:
        assert approved_blocks(session, 2024) == []  # draft
    step(ledger, "submit", 1, AUTHOR)
    with unit_of_work(ledger) as session:
        assert approved_blocks(session, 2024) == []  # submitted
    step(ledger, "approve", 2, REVIEWER)
    save(ledger, version=3, reason="new sentence", text_en="A newer text.")
    with unit_of_work(ledger) as session:
        printed = approved_blocks(session, 2024)
        assert get_block(session, KEY).block.status == "draft"
    assert [(b.version, b.block.text_en) for b in printed] == [
        (3, "In 2025 we will keep to green development.")
    ]


def test_submitting_needs_both_languages(ledger):
    save(ledger, text_en="")
    error = refused(ledger, "narrative_block.text_missing", step, "submit", 1, AUTHOR)
    assert "text_en" in error.render("zh")


def test_returning_needs_a_comment_and_gives_the_block_back_as_a_draft(ledger):
    save(ledger)
    step(ledger, "submit", 1, AUTHOR)
    refused(ledger, "narrative_block.comment_needed", step, "return", 2, REVIEWER, comment=" ")
    returned = step(ledger, "return", 2, REVIEWER, comment="name the 2025 targets")
    assert returned.block.status == "draft"
    assert returned.block.review_comment == "name the 2025 targets"


def test_only_writers_write_and_only_reviewers_review(ledger):
    refused(ledger, "narrative_block.not_allowed", save, principal=AUDITOR)
    save(ledger, principal=REPORTER)
    step(ledger, "submit", 1, REPORTER)
    refused(ledger, "narrative_block.not_allowed", step, "approve", 2, AUDITOR)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "poem"}, "narrative_block.unknown_kind"),
        ({"kind": "case_study"}, "narrative_block.slug_needed"),
        ({"slug": "one"}, "narrative_block.slug_unwanted"),
        ({"answers": ["gri:9-99"]}, "narrative_block.unknown_item"),
        ({"year": 1999}, "narrative_block.invalid_field"),
    ],
)
def test_a_block_with_a_wrong_field_is_refused(ledger, changes, code):
    refused(ledger, code, save, **changes)
    with unit_of_work(ledger) as session:
        assert year_blocks(session, 2024) == []


def test_changing_a_block_needs_a_reason(ledger):
    save(ledger)
    refused(ledger, "narrative_block.reason_needed", save, version=1, text_en="New.")
