"""What the entry, review and history pages show beside each value: its comment thread
(and whether it waits for this user), a "not applicable" answer, and a rejection's reason.

One read per page for each kind, keyed by (period, indicator), so that a form of 60 fields
costs three queries, not 180.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esgledger.answers.not_applicable import NotApplicable, current_answers
from esgledger.answers.rejections import Rejection, open_rejections
from esgledger.answers.threads import Thread, threads_by_value
from esgledger.web.render import PageEnv

Key = tuple[str, str]


@dataclass
class ValueAnswers:
    """Per (period, indicator): thread, N/A answer, rejection; and the threads waiting."""

    threads: dict[Key, Thread] = field(default_factory=dict)
    not_applicable: dict[Key, NotApplicable] = field(default_factory=dict)
    rejections: dict[Key, Rejection] = field(default_factory=dict)
    waiting: set[Key] = field(default_factory=set)

    def thread(self, period: str, indicator: str) -> Thread | None:
        return self.threads.get((str(period), indicator))

    def na(self, period: str, indicator: str) -> NotApplicable | None:
        return self.not_applicable.get((str(period), indicator))

    def rejection(self, period: str, indicator: str) -> Rejection | None:
        return self.rejections.get((str(period), indicator))

    def is_waiting(self, period: str, indicator: str) -> bool:
        return (str(period), indicator) in self.waiting


def value_answers(env: PageEnv, entity: str, periods: list[str]) -> ValueAnswers:
    """The answers around the values of ``entity`` in ``periods``, for this user."""
    threads = threads_by_value(env.session, entity, periods)
    na = current_answers(env.session, [entity], periods)
    rejected = open_rejections(env.session, [entity], periods)
    return ValueAnswers(
        threads=threads,
        not_applicable={(p, i): answer for (_e, p, i), answer in na.items()},
        rejections={(r.period, r.indicator): r for r in rejected},
        waiting={key for key, t in threads.items() if t.waiting_for(env.principal)},
    )
