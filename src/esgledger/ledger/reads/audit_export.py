"""The filtered audit log as a CSV file: what an auditor takes away to work on.

Text cells pass through :mod:`esgledger.spreadsheet_cells`, so an actor name or a detail
that starts with ``=`` opens as text, not as a formula.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from esgledger.ledger.reads.audit_log import AuditFilter, audit_entries
from esgledger.spreadsheet_cells import csv_text

AUDIT_COLUMNS = ("id", "at_utc", "actor", "action", "detail", "prev_hash", "entry_hash")


def audit_csv(session: Session, where: AuditFilter) -> str:
    """Every entry ``where`` matches, newest first, one CSV row each with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for entry in audit_entries(session, where):
        row = (
            entry.id,
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor,
            entry.action,
            entry.detail,
            entry.prev_hash,
            entry.entry_hash,
        )
        writer.writerow([csv_text(cell) for cell in row])
    return out.getvalue()
