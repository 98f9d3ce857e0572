"""Review decisions on the revisions a reviewer saw, all or nothing.

:func:`esgledger.ledger.revisions.change_status` acts on whatever is current in a
selection, which suits one person at a terminal. A reviewer in a browser or a script
decided on particular values; if one of them changed in between (a new value saved, or
another reviewer's decision), that decision must not land on the new state.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import Joined, NotFoundError, Phrase
from esgledger.ledger.chain import changed_meanwhile, hold_write_lock
from esgledger.ledger.revisions import (
    REJECTED,
    WorkflowError,
    starting_statuses,
    write_step,
)
from esgledger.ledger.schema import Revision


def change_status_of(
    session: Session,
    author: str,
    to_status: str,
    revision_ids: Iterable[int],
    *,
    reason: str | None = None,
    include_drafts: bool = False,
) -> list[Revision]:
    """Move exactly the revisions a reviewer saw to ``to_status``, or nothing at all.

    Unlike :func:`.revisions.change_status`, which acts on whatever is current, a decision names
    the revisions it was made on: one that has been superseded meanwhile refuses the step.

    Returns:
        The revisions moved, as they were before the step.

    Raises:
        NotFoundError: an id is not a revision.
        ConflictError: a revision is no longer its observation's newest one.
        WorkflowError: a revision is not in a status this step starts from.
    """
    if to_status == REJECTED and not reason:
        raise WorkflowError.coded("workflow.reject_reason")
    hold_write_lock(session)
    wanted = sorted(set(revision_ids))
    found = list(session.scalars(select(Revision).where(Revision.id.in_(wanted))))
    missing = sorted(set(wanted) - {r.id for r in found})
    if missing:
        raise NotFoundError.coded("workflow.no_revision", ids=", ".join(map(str, missing[:5])))
    newer = set(session.scalars(select(Revision.parent_id).where(Revision.parent_id.in_(wanted))))
    stale = [r for r in found if r.id in newer]
    if stale:
        raise changed_meanwhile([(r.entity, r.period, r.indicator) for r in stale])
    starts = starting_statuses(to_status, include_drafts)
    unfit = [r for r in found if r.status not in starts]
    if unfit:
        named = Joined(
            tuple(
                Phrase.of(
                    "workflow.value_status",
                    value=f"{r.entity} {r.period} {r.indicator}",
                    status=Phrase.of(f"workflow.status.{r.status}"),
                )
                for r in unfit[:5]
            )
        )
        status = Phrase.of(f"workflow.status.{to_status}")
        starts_named = Joined(tuple(Phrase.of(f"workflow.status.{s}") for s in starts), "list.or")
        raise WorkflowError.coded(
            "workflow.cannot_mark", named=named, status=status, starts=starts_named
        )
    write_step(session, author, to_status, found, reason, {"revisions": wanted})
    return found
