"""Notices: short messages to one user (a reminder, an escalation, a rejection), kept in an
in-app inbox and delivered by e-mail or a chat webhook by a background job.

Other capabilities post notices through :func:`esgledger.notices.inbox.post_notices`; the
texts live in the web's locale files (``notices.kind.<kind>``), so a notice stores only
its kind and parameters and reads in each user's language.
"""

from esgledger.notices.inbox import (
    INBOX,
    Notice,
    NoticeView,
    inbox_for,
    mark_all_read,
    mark_read,
    post_notices,
    unread_count,
)

__all__ = [
    "INBOX",
    "Notice",
    "NoticeView",
    "inbox_for",
    "mark_all_read",
    "mark_read",
    "post_notices",
    "unread_count",
]
