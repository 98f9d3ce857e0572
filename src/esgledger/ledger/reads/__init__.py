"""The ledger's read API: every module outside ``esgledger.ledger`` reads through it.

Split by subject: :mod:`.observations` (revisions and restatements), :mod:`.snapshots`
and :mod:`.audit_log`. Together with the ledger's write functions (``revisions``,
``entry``, ``imports``, ``snapshots.take_snapshot`` ...), these are the one doorway into
the tables: no other package imports ``esgledger.ledger.schema`` or builds SQL on them
(an import-linter contract in ``pyproject.toml`` and a check in
``tests/test_architecture.py`` refuse both). A table can then change shape, gain an index
or a current-value cache behind these functions without a page, router or command noticing.

The row types are re-exported here so callers can name what the functions return; they
are for reading attributes, never for building queries.
"""

from esgledger.ledger.schema import AuditEntry, Revision, Snapshot

__all__ = ["AuditEntry", "Revision", "Snapshot"]
