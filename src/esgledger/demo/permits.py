"""The demo group's discharge permits, outlet limits and 2024 monitoring results.

Permits and outlets come from ``data/permits/permits.yaml``; the results are imported from
``data/permits/results_2024.csv`` through the same all-or-nothing import as a user's file;
then one 2025 result over its limit opens an exceedance with its cause recorded, and a
permit renewal (new validity, lower yearly amounts) is written as the permit's next version.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.ledger.database import unit_of_work
from esgledger.permits.model import OutletIn, PermitIn, ResultIn, outlet_key
from esgledger.permits.register import save_outlets, save_permits
from esgledger.permits.results import advance_exceedance, record_results
from esgledger.permits.workbook import import_file

DATA = Path(str(files("esgledger.demo"))) / "data" / "permits"
CAUSE = "在线监测：氨氮吹脱塔填料结垢，去除率下降 (ammonia stripping tower packing scaled)"


def load_permits(database: Engine, manager: str, entities: list[str]) -> dict[str, int]:
    """Write the demo register; returns the counts imported."""
    data = yaml.safe_load((DATA / "permits.yaml").read_text(encoding="utf-8"))
    principal = Principal(0, manager, Role.GROUP_MANAGER, None)
    with unit_of_work(database) as session:
        save_permits(session, principal, [PermitIn(**p) for p in data["permits"]], entities)
        save_outlets(session, principal, [OutletIn(**o) for o in data["outlets"]])
        counts = import_file(session, principal, DATA / "results_2024.csv", entities)
        late = [ResultIn(**row) for row in data["exceedance_example"]]
        for key in record_results(session, principal, late):
            advance_exceedance(session, principal, key, "cause", CAUSE)
        for renewal in data["renewals"]:
            _renew(session, principal, data, renewal, entities)
    return counts


def _renew(
    session: Session, principal: Principal, data: dict, renewal: dict, entities: list[str]
) -> None:
    """Write a renewal: the permit with its new fields, its outlets with the limits that
    changed replaced pollutant by pollutant."""
    number = renewal["permit"]["number"]
    [first] = [p for p in data["permits"] if p["number"] == number]
    permit = PermitIn(**(first | renewal["permit"]))
    save_permits(session, principal, [permit], entities, reason=renewal["reason"])
    outlets = []
    for key, changed in renewal["limits"].items():
        [outlet] = [o for o in data["outlets"] if outlet_key(o["permit"], o["code"]) == key]
        limits = {limit["pollutant"]: limit for limit in outlet["limits"]}
        limits |= {limit["pollutant"]: limit for limit in changed}
        outlets.append(OutletIn(**(outlet | {"limits": list(limits.values())})))
    save_outlets(session, principal, outlets, reason=renewal["reason"])
