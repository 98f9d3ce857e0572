"""Where a user's notices are sent besides the inbox: an e-mail address per user.

Kept as the register ``notices.contacts`` (key: the username) rather than a column of the
users table, so that adding e-mail needed no migration and every change of address is
recorded with who made it.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.ledger.records import RecordChange, append_record

CONTACTS = "notices.contacts"
EMAIL = re.compile(r"^[^@\s,;<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def set_email(session: Session, actor: str, username: str, email: str | None) -> None:
    """Set (or with None/empty, remove) ``username``'s e-mail address.

    Raises:
        EsgError: the address is not an e-mail address.
    """
    email = (email or "").strip()
    if email and (len(email) > 254 or not EMAIL.match(email)):
        raise EsgError.coded("notice.bad_contact", value=email)
    change = RecordChange(username, {"email": email or None}, retire=not email)
    append_record(session, CONTACTS, change, actor=actor, action="notices.contact")


def email_of(session: Session, username: str) -> str | None:
    """``username``'s e-mail address, or None."""
    record = current_record(session, CONTACTS, username)
    return None if record is None or record.retired else record.payload.get("email")


def all_emails(session: Session) -> dict[str, str]:
    """Every user's address, by username (one read)."""
    return {
        r.key: r.payload["email"]
        for r in current_records(session, CONTACTS)
        if r.payload.get("email")
    }
