"""Comment threads on one value: who said what, in which role, and whose turn it is.

A thread is every comment on one (entity, period, indicator), oldest first (the shared
``comments`` table of :mod:`esgledger.auth.schema`). It is "waiting for" a user when the
last word is someone else's and the user is in the conversation: a participant, or a
reporter of the entity (the person who will have to answer a reviewer's question). Two
reporters of the same entity count as one side, so one's reply does not leave it waiting
for the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from esgledger.answers.rejections import open_rejections
from esgledger.auth.people import reporters_of, roles_of
from esgledger.auth.roles import Role
from esgledger.auth.schema import Comment
from esgledger.auth.service import Principal, add_comment, list_comments
from esgledger.errors import EsgError

MAX_TEXT = 5000


@dataclass(frozen=True)
class ThreadComment:
    """One comment as shown: author, the author's role (None for a removed account), time."""

    id: int
    author: str
    role: str | None
    text: str
    at: datetime


@dataclass(frozen=True)
class Thread:
    """All comments on one value, oldest first."""

    entity: str
    period: str
    indicator: str
    comments: tuple[ThreadComment, ...]
    # In the conversation without having written in it: the reviewer whose rejection of
    # the value is still open (the reporter's answer is for them).
    addressed: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.entity, self.period, self.indicator)

    @property
    def last(self) -> ThreadComment | None:
        return self.comments[-1] if self.comments else None

    @property
    def participants(self) -> set[str]:
        return {c.author for c in self.comments} | set(self.addressed)

    def waiting_for(self, principal: Principal) -> bool:
        """Whether the last word is someone else's and the user is expected to answer."""
        last = self.last
        if last is None or last.author == principal.username:
            return False
        owner = principal.role is Role.REPORTER and principal.may_see(self.entity)
        if owner and last.role == Role.REPORTER.value:
            return False  # a colleague of the same entity answered already
        return owner or principal.username in self.participants


def _group(session: Session, comments: list[Comment]) -> list[Thread]:
    """Comments per value, each thread knowing the reviewer of its open rejection."""
    roles = roles_of(session, (c.author for c in comments))
    grouped: dict[tuple[str, str, str], list[ThreadComment]] = defaultdict(list)
    for c in comments:
        if c.indicator is not None:
            shown = ThreadComment(c.id, c.author, roles.get(c.author), c.text, c.at)
            grouped[c.entity, c.period, c.indicator].append(shown)
    entities, periods = {k[0] for k in grouped}, {k[1] for k in grouped}
    rejected = {
        (r.entity, r.period, r.indicator): r.by
        for r in (open_rejections(session, entities, periods) if grouped else [])
    }
    return [
        Thread(*key, tuple(items), frozenset({rejected[key]} if key in rejected else ()))
        for key, items in grouped.items()
    ]


def threads_of(
    session: Session, entities: list[str] | None, period: str | None = None
) -> list[Thread]:
    """The threads on values of these entities (None: all), oldest comment first within."""
    return _group(session, list_comments(session, entities, period))


def thread_of(session: Session, entity: str, period: str, indicator: str) -> Thread:
    """One value's thread (empty when nobody has commented yet)."""
    comments = list_comments(session, [entity], period, indicator)
    found = [t for t in _group(session, comments) if t.indicator == indicator]
    if found:
        return found[0]
    rejected = [
        r.by for r in open_rejections(session, [entity], [period]) if r.indicator == indicator
    ]
    return Thread(entity, period, indicator, (), frozenset(rejected))


def threads_by_value(
    session: Session, entity: str, periods: list[str]
) -> dict[tuple[str, str], Thread]:
    """(period, indicator) → thread, for the values a form or review page shows."""
    wanted = set(periods)
    return {(t.period, t.indicator): t for t in threads_of(session, [entity]) if t.period in wanted}


def waiting_threads(session: Session, principal: Principal) -> list[Thread]:
    """The threads waiting for this user's answer, the longest-waiting first."""
    scope = None if principal.entities is None else sorted(principal.entities)
    found = [t for t in threads_of(session, scope) if t.waiting_for(principal)]
    return sorted(found, key=lambda t: t.last.at if t.last else datetime.min)


def reply(
    session: Session, principal: Principal, entity: str, period: str, indicator: str, text: str
) -> tuple[Comment, set[str]]:
    """Add a comment to the value's thread; returns it and the people to tell about it.

    The people told are the thread's other participants and the entity's reporters, never
    the author. Access (may this user comment on this entity?) is checked by the caller.
    """
    text = text.strip()
    if not text:
        raise EsgError.coded("thread.empty")
    if len(text) > MAX_TEXT:
        raise EsgError.coded("thread.too_long", limit=MAX_TEXT, length=len(text))
    before = thread_of(session, entity, period, indicator)
    comment = add_comment(session, principal.username, entity, period, indicator, text)
    told = (before.participants | reporters_of(session, entity)) - {principal.username}
    return comment, told
