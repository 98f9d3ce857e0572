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
