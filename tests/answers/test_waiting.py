"""Whose turn it is in a thread: the last word is someone else's and the user is in it."""

from __future__ import annotations

from datetime import datetime

from esgledger.answers.threads import Thread, ThreadComment
from esgledger.auth.roles import Role
from esgledger.auth.service import Principal

SMELT_REPORTER = Principal(1, "smelt", Role.REPORTER, frozenset({"SMELT"}))
SMELT_COLLEAGUE = Principal(5, "smelt2", Role.REPORTER, frozenset({"SMELT"}))
METAL_REPORTER = Principal(2, "metal", Role.REPORTER, frozenset({"METAL"}))
MANAGER = Principal(3, "manager", Role.GROUP_MANAGER, None)
AUDITOR = Principal(4, "auditor", Role.AUDITOR, None)


def thread(*said: tuple[str, str]) -> Thread:
    comments = tuple(
        ThreadComment(n, author, role, f"text {n}", datetime(2024, 3, 1, 9, n))
        for n, (author, role) in enumerate(said)
    )
    return Thread("SMELT", "2024", "production.reo_output", comments)


def test_a_reviewers_question_waits_for_the_entitys_reporter_not_for_others():
    asked = thread(("manager", "group-manager"))
    assert asked.waiting_for(SMELT_REPORTER)
    assert asked.waiting_for(SMELT_COLLEAGUE)
    assert not asked.waiting_for(METAL_REPORTER)  # not their entity, not in the thread
    assert not asked.waiting_for(MANAGER)  # the last word is theirs
    assert not asked.waiting_for(AUDITOR)  # not a participant


def test_the_answer_turns_the_thread_back_to_the_reviewer():
    answered = thread(("manager", "group-manager"), ("smelt", "reporter"))
    assert answered.waiting_for(MANAGER)
    assert not answered.waiting_for(SMELT_REPORTER)
    # a colleague of the same entity answered: the reporters' side is done
    assert not answered.waiting_for(SMELT_COLLEAGUE)


def test_an_auditor_in_the_thread_waits_for_the_answer_too():
    asked = thread(("auditor", "auditor"), ("smelt", "reporter"))
    assert asked.waiting_for(AUDITOR)
    assert not asked.waiting_for(MANAGER)


def test_an_empty_thread_waits_for_nobody():
    assert not thread().waiting_for(SMELT_REPORTER)
    assert thread().last is None
