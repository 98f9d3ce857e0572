"""Which observations a caller may reach: the one place the entity rule is applied.

The rule, the same for reads and writes: a reporter asking about an entity that is not
one of its own gets 404 "not found", exactly as for an entity that does not exist, so
that the API never confirms what other entities exist or hold. Role checks come first:
a role that may not do something at all (an auditor writing) gets 403.
"""

from __future__ import annotations

from esgledger.api.deps import require_entity
from esgledger.api.schemas import expand_periods
from esgledger.auth.service import Principal
from esgledger.ledger.revisions import Selection


def entity_scope(principal: Principal, entity: str | None) -> list[str] | None:
    """``[entity]`` once checked, else the caller's own entities, else None (= all)."""
    if entity is not None:
        require_entity(principal, entity)
        return [entity]
    return None if principal.entities is None else sorted(principal.entities)


def scoped_selection(
    principal: Principal,
    entity: str | None = None,
    periods: list[str] | None = None,
    indicators: list[str] | None = None,
) -> Selection | None:
    """The selection limited to what the caller may reach; None when that is nothing.

    (An empty list in a :class:`Selection` means "any", so "nothing" must not become one.)
    """
    entities = entity_scope(principal, entity)
    if entities == []:
        return None
    return Selection(entities, expand_periods(periods), indicators or None)
