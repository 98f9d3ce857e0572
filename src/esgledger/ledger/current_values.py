"""Check ``current_values`` against the revisions, which stay the truth.

The table (migration 0008) is what lists of current values read; database triggers keep
it in step with every insert into ``revisions``. If it drifts (a row edited or deleted by
hand, a trigger lost by a careless migration), lists would show values the history does
not support. This check recomputes the newest revision of every observation from the
revisions and names each observation where the table differs; ``esgledger audit verify``
runs it with the other checks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, select

from esgledger.ledger.breaks import EDITED_ROW, INSERTED_ROW, MISSING_ROW, Break
from esgledger.ledger.revisions import latest_ids
from esgledger.ledger.schema import CurrentValue, Revision

TABLE = "current_values"
_FIX = "restoring a backup rebuilds the table from the revisions"


def current_value_breaks(connection: Connection) -> list[Break]:
    """One break per observation whose row in ``current_values`` is not its newest revision."""
    truth, stored = _from_revisions(), _stored()
    expected = _by_key(connection, truth.except_(stored))
    found = _by_key(connection, stored.except_(truth))
    return [_break(key, expected.get(key), found.get(key)) for key in sorted(expected | found)]


def _from_revisions() -> Select[Any]:
    return select(
        Revision.entity,
        Revision.period,
        Revision.indicator,
        Revision.id,
        Revision.status,
        Revision.is_tombstone,
    ).where(Revision.id.in_(latest_ids()))


def _stored() -> Select[Any]:
    return select(
        CurrentValue.entity,
        CurrentValue.period,
        CurrentValue.indicator,
        CurrentValue.revision_id,
        CurrentValue.status,
        CurrentValue.is_tombstone,
    )


def _by_key(connection: Connection, query: Any) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    return {tuple(row[:3]): tuple(row[3:]) for row in connection.execute(query)}


def _break(key: tuple[str, ...], expected: Any, found: Any) -> Break:
    """A break for one observation; ``expected`` or ``found`` is None where the row is absent."""
    if found is None:
        kind, what = MISSING_ROW, f"it lacks the newest revision, {_state(expected)}"
    elif expected is None:
        kind, what = INSERTED_ROW, f"it names {_state(found)}, but the observation has no revision"
    else:
        kind, what = EDITED_ROW, f"it says {_state(found)}, the revisions say {_state(expected)}"
    return Break(kind, TABLE, " ".join(key), f"{what}; {_FIX}")


def _state(row: tuple[Any, ...]) -> str:
    revision_id, status, deleted = row
    return f"revision {revision_id} ({status}{', deleted' if deleted else ''})"
