"""Roles and what they may do; the one place access rules are written down."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    GROUP_MANAGER = "group-manager"
    REPORTER = "reporter"
    AUDITOR = "auditor"


# Who may write observations (a reporter only for its own entities).
WRITERS = frozenset({Role.ADMIN, Role.GROUP_MANAGER, Role.REPORTER})
# Who may review, approve, reject, lock and restate.
REVIEWERS = frozenset({Role.ADMIN, Role.GROUP_MANAGER})
# Who sees every entity (reporters see only the entities granted to them).
SEES_ALL = frozenset({Role.ADMIN, Role.GROUP_MANAGER, Role.AUDITOR})
# Who reads the audit log.
AUDIT_READERS = frozenset({Role.ADMIN, Role.AUDITOR})
# Who may comment on a value or a period: everyone who writes, and the auditor, whose
# questions and answers belong in the value's thread (the auditor still writes no values).
COMMENTERS = WRITERS | {Role.AUDITOR}
# Who may declare an owed indicator not applicable (with a reason): those who write values.
NA_DECLARERS = WRITERS
# Who may accept or reject a "not applicable" answer, as they approve or reject values.
NA_REVIEWERS = REVIEWERS
# Who keeps assurance workpapers: engagements, samples, tick marks, queries, findings and
# sign-offs. An auditor writes only to the assurance registers, never values (it is not
# among WRITERS, and may_write_register below keeps it to ASSURANCE_REGISTERS).
ASSURERS = frozenset({Role.ADMIN, Role.AUDITOR})
ASSURANCE_REGISTERS = "assurance."
# Who may answer an auditor's query about a value: whoever may write that value.
QUERY_ANSWERERS = WRITERS


def may_write_register(role: Role, register: str) -> bool:
    """Whether ``role`` may append to ``register``: an auditor only to the assurance ones."""
    if role == Role.AUDITOR:
        return register.startswith(ASSURANCE_REGISTERS)
    return True
