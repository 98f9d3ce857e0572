"""The demo's permits register holds a renewal: the Gansu permit's second version, with
its new validity and the outlet's lower yearly amounts, and the reason."""

from __future__ import annotations

from tests.conftest import SharedDemo

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.permits.history import limit_text, permit_history

MANAGER = Principal(0, "manager", Role.GROUP_MANAGER, None)


def test_the_demo_gansu_permit_was_renewed_with_lower_yearly_amounts(
    demo_ledger: SharedDemo,
) -> None:
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        found = permit_history(session, MANAGER, "91620400DEMO00004X001P")
    database.dispose()
    assert found.permit.version == 2 and found.permit.payload["valid_to"] == "2030-12-24"
    renewals = [c for c in found.changes if c.version.version == 2]
    assert {c.subject for c in renewals} == {"permit", "DW001"}
    assert all(c.version.reason.startswith("到期换证") for c in renewals)
    [outlet] = [c for c in renewals if c.subject == "DW001"]
    assert [(f.field, limit_text(f.before), limit_text(f.after)) for f in outlet.changes] == [
        ("limits.cod", "≤ 70 mg/L; 21 t/a", "≤ 70 mg/L; 18 t/a"),
        ("limits.nh3n", "≤ 15 mg/L; 4.5 t/a", "≤ 15 mg/L; 3.8 t/a"),
    ]
