"""Writing narrative blocks and taking them through review: draft → submitted → approved.

The rules, checked here before :func:`esgledger.ledger.records.append_record` versions and
audits each step:

- anyone who writes data (admin, group manager, reporter) writes and submits blocks; every
  save is a new draft version, and changing a block that has a version needs a reason;
- a block is submitted only with both its Chinese and its English text (and, for a kind a
  year holds several of, both titles): the report is printed in both languages;
- only a reviewer (admin, group manager) approves or returns a submitted block, and never
  the person who last wrote its text or submitted it (four eyes, as the hazard loop's
  verifier is not its rectifier); returning needs a comment for the author;
- each step names the version its user saw (``expected_version``): a step taken on a
  version someone changed meanwhile is refused (records.stale).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from esgledger.auth.roles import REVIEWERS, WRITERS
from esgledger.auth.service import Principal
from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.records import RecordChange, append_record
from esgledger.narrative.kinds import load_kinds
from esgledger.narrative.model import REGISTER, Block, Content, Status
from esgledger.narrative.reads import StoredBlock, get_block


class ReviewRefused(EsgError):
    """The user may not take this step on this block (role, or four eyes)."""


def content_of(fields: dict[str, Any]) -> Content:
    """The author's fields as content; the first invalid field raises a coded error."""
    try:
        return Content.model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "-"
        raise EsgError.coded(
            "narrative_block.invalid_field", field=field, problem=problem["msg"]
        ) from None


def check_content(content: Content, catalog: Catalog) -> None:
    """A known kind, a short name exactly when the kind has several a year, known items."""
    kinds = load_kinds()
    kind = kinds.get(content.kind)
    if kind is None:
        raise EsgError.coded(
            "narrative_block.unknown_kind", kind=content.kind, known=", ".join(kinds)
        )
    if kind.several != bool(content.slug):
        code = "narrative_block.slug_needed" if kind.several else "narrative_block.slug_unwanted"
        raise EsgError.coded(code, kind=content.kind)
    for answer in content.answers:
        check_item(catalog, answer)


def check_item(catalog: Catalog, answer: str) -> None:
    """``gri:2-22`` must name a framework item of the catalog."""
    framework, _, code = answer.partition(":")
    try:
        known = {item.code for item in catalog.framework_items(framework)}
    except NotFoundError:
        known = set()
    if code not in known:
        raise EsgError.coded(
            "narrative_block.unknown_item", item=answer, frameworks=", ".join(catalog.frameworks())
        )


def save_block(
    session: Session,
    catalog: Catalog,
    principal: Principal,
    fields: dict[str, Any],
    *,
    expected_version: int,
    reason: str | None = None,
) -> StoredBlock:
    """Write a block's text as a new draft version (0: a new block)."""
    _require(principal, WRITERS, "write")
    content = content_of(fields)
    check_content(content, catalog)
    if expected_version > 0 and not (reason or "").strip():
        raise EsgError.coded("narrative_block.reason_needed", key=content.key)
    block = Block(**content.model_dump(), status=Status.DRAFT, edited_by=principal.username)
    return _write(session, principal, content.key, block, expected_version, reason, "save")


def submit_block(
    session: Session, principal: Principal, key: str, *, expected_version: int
) -> StoredBlock:
    """Send a draft for review; both languages must be written."""
    _require(principal, WRITERS, "submit")
    current = _at(session, key, expected_version, Status.DRAFT)
    block = current.block
    missing = [name for name in _required(block) if not getattr(block, name).strip()]
    if missing:
        raise EsgError.coded("narrative_block.text_missing", key=key, missing=", ".join(missing))
    changed = block.model_copy(
        update={"status": Status.SUBMITTED, "submitted_by": principal.username}
    )
    return _write(session, principal, key, changed, expected_version, None, "submit")


def approve_block(
    session: Session, principal: Principal, key: str, *, expected_version: int, comment: str = ""
) -> StoredBlock:
    """Approve a submitted block: a reviewer who neither wrote nor submitted it."""
    return _review(session, principal, key, expected_version, comment, Status.APPROVED)


def return_block(
    session: Session, principal: Principal, key: str, *, expected_version: int, comment: str
) -> StoredBlock:
    """Send a submitted block back to its author as a draft, with what to change."""
    if not comment.strip():
        raise EsgError.coded("narrative_block.comment_needed", key=key)
    return _review(session, principal, key, expected_version, comment, Status.DRAFT)


def _review(
    session: Session,
    principal: Principal,
    key: str,
    expected_version: int,
    comment: str,
    outcome: Status,
) -> StoredBlock:
    _require(principal, REVIEWERS, "review")
    current = _at(session, key, expected_version, Status.SUBMITTED)
    block = current.block
    if outcome is Status.APPROVED and principal.username in (block.edited_by, block.submitted_by):
        raise ReviewRefused.coded("narrative_block.self_approval", key=key, user=principal.username)
    changed = block.model_copy(
        update={"status": outcome, "reviewed_by": principal.username, "review_comment": comment}
    )
    action = "approve" if outcome is Status.APPROVED else "return"
    return _write(session, principal, key, changed, expected_version, comment or None, action)


def _required(block: Block) -> tuple[str, ...]:
    several = load_kinds()[block.kind].several
    return ("text_zh", "text_en", "title_zh", "title_en") if several else ("text_zh", "text_en")


def _at(session: Session, key: str, expected_version: int, status: Status) -> StoredBlock:
    current = get_block(session, key)
    if current.version == expected_version and current.block.status is not status:
        raise EsgError.coded(
            "narrative_block.wrong_step", key=key, status=str(current.block.status),
            expected=str(status),
        )  # fmt: skip
    return current


def _require(principal: Principal, roles: frozenset, step: str) -> None:
    if principal.role not in roles:
        raise ReviewRefused.coded(
            "narrative_block.not_allowed", user=principal.username, role=str(principal.role),
            step=step,
        )  # fmt: skip


def _write(
    session: Session,
    principal: Principal,
    key: str,
    block: Block,
    expected_version: int,
    reason: str | None,
    action: str,
) -> StoredBlock:
    change = RecordChange(key, block.model_dump(mode="json"), None, False, expected_version)
    append_record(
        session, REGISTER, change, actor=principal.username, action=f"narrative.{action}",
        reason=reason,
    )  # fmt: skip
    return get_block(session, key)
