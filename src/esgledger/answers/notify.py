"""Telling the other side of a thread: a notice in each recipient's inbox.

The notices package (``esgledger.notices``) stores them in ``notices.inbox`` and a job
delivers them by e-mail or webhook; nothing slow happens here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from esgledger.notices import Notice, post_notices


def thread_link(entity: str, period: str, indicator: str) -> str:
    """The in-app page of a value's thread."""
    return f"/threads/{entity}/{period}/{indicator}"


def tell(
    session: Session, actor: str, kind: str, recipients: Iterable[str], entity: str, period: str,
    indicator: str, **params: str,
) -> int:  # fmt: skip
    """One notice per recipient (``notices.kind.<kind>``), linking to the value's thread."""
    shown = {"entity": entity, "period": period, "indicator": indicator, "author": actor, **params}
    link = thread_link(entity, period, indicator)
    notices = [Notice(name, kind, shown, link, entity) for name in sorted(set(recipients))]
    return post_notices(session, notices, actor=actor) if notices else 0
