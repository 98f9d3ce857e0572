"""A small campaign on the test group: two reporters, a manager, and obligations narrowed
by overrides to a monthly and a yearly input, so that completeness can be worked by hand."""

from __future__ import annotations

from datetime import date

from esgledger.auth.roles import Role
from esgledger.auth.service import add_user
from esgledger.catalog import load_catalog
from esgledger.collection.campaigns import create_campaign
from esgledger.collection.completeness import NOT_APPLICABLE
from esgledger.collection.obligations import owed_for_entity, set_overrides
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.ledger.records import RecordChange, append_record

CATALOG = load_catalog()
PASSWORD = "correct horse battery"
MONTHLY = "energy.purchased_electricity"  # MWh, monthly
YEARLY = "circular.ammonia_recovered"  # t, yearly
DUE = date(2025, 3, 31)


def set_up_group(ledger) -> None:
    """Users, and SMELT owing MONTHLY and YEARLY, METAL owing YEARLY only."""
    with unit_of_work(ledger) as session:
        add_user(session, "t", "smelter", PASSWORD, Role.REPORTER, entities=["SMELT"])
        add_user(session, "t", "metal", PASSWORD, Role.REPORTER, entities=["METAL"])
        add_user(session, "t", "manager", PASSWORD, Role.GROUP_MANAGER)
        for code, keep in (("SMELT", {MONTHLY, YEARLY}), ("METAL", {YEARLY})):
            owed = owed_for_entity(session, CATALOG, code, 2024)
            drop = [i for i in owed if i not in keep]
            set_overrides(session, CATALOG, "manager", code, add=keep, drop=drop, reason="test")


def open_campaign(ledger, name="fy2024", due=DUE):
    with unit_of_work(ledger) as session:
        return create_campaign(
            session, CATALOG, "manager", name, year=2024, due=due, entities=["SMELT", "METAL"]
        )


def enter(ledger, entity, period, indicator, value="10", unit=None):
    with unit_of_work(ledger) as session:
        unit = unit or CATALOG.get(indicator).unit
        save_form(session, "smelter", CATALOG, entity, period, [FormValue(indicator, value, unit)])


def not_applicable(ledger, entity, period, indicator, retire=False):
    payload = {"entity": entity, "period": period, "indicator": indicator, "reason": "none here"}
    with unit_of_work(ledger) as session:
        append_record(
            session,
            NOT_APPLICABLE,
            RecordChange(f"{entity}|{period}|{indicator}", payload, entity=entity, retire=retire),
            actor="metal",
            action="collection.not_applicable",
        )
