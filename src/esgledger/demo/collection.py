"""The demo group's data request in progress: campaign ``2024`` for the open year, some
entities complete, some overdue, reminders and an escalation in the inboxes.

The demo's figures cover only what the reference report lets it model, so each entity's
overrides (register ``collection.overrides``) narrow what it owes to the inputs its demo
data answers in full; a few entities (``data/demo_campaign.yaml``) are still asked for some of
the inputs the rules give them, and are overdue. Dates are counted from the day the demo
is built, so the campaign is always "in progress": due ``due_days_ago`` days ago, with the
schedule's reminders run on the days the worker would have run them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from typing import Any

import polars as pl
import yaml
from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.collection.campaigns import create_campaign, default_schedule, get_campaign, progress
from esgledger.collection.completeness import missing_items
from esgledger.collection.obligations import owed_indicators, set_overrides
from esgledger.collection.reminders import run_reminders
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.orgstore import load_org
from esgledger.notices.contacts import set_email


@dataclass(frozen=True)
class DemoCampaign:
    """The demo's campaign in figures (`esgledger demo` words them: cli/demo_cmd.py)."""

    name: str
    due: date
    entities: int
    complete: int
    overdue: int
    notices: int


def spec() -> dict[str, Any]:
    text = (files("esgledger.demo") / "data" / "demo_campaign.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def answered_in_full(session, catalog: Catalog, year: int) -> dict[str, set[str]]:
    """Per entity, the inputs whose every owed item (each month of a monthly one) has a value."""
    codes = [e.code for e in load_org(session)]
    inputs = [ind.id for ind in catalog.inputs()]
    every = pl.DataFrame(
        {"entity": [c for c in codes for _ in inputs], "indicator": inputs * len(codes)}
    )
    gaps = missing_items(session, catalog, every, year).select("entity", "indicator").unique()
    full = every.join(gaps, on=["entity", "indicator"], how="anti")
    found: dict[str, set[str]] = {code: set() for code in codes}
    for entity, indicator in full.iter_rows():
        found[entity].add(indicator)
    return found


def load_demo_campaign(database: Engine, catalog: Catalog, actor: str, today: date) -> DemoCampaign:
    """Write the overrides, open the campaign, and run the reminders of its past days."""
    plan = spec()
    year, name = int(plan["year"]), str(plan["name"])
    due = today - timedelta(days=int(plan["due_days_ago"]))
    with unit_of_work(database) as session:
        for username, address in plan["emails"].items():
            set_email(session, actor, username, address)
        full = answered_in_full(session, catalog, year)
        for entity in load_org(session):
            ruled = set(owed_indicators(catalog, entity, year))
            keep = set(
                sorted(ruled - full[entity.code])[: int(plan["open_items"].get(entity.code, 0))]
            )
            owed = full[entity.code] | keep
            set_overrides(
                session, catalog, actor, entity.code,
                add=owed - ruled, drop=ruled - owed, reason=plan["override_reason"],
            )  # fmt: skip
        opened = due - timedelta(days=int(plan["opened_days_before_due"]))
        create_campaign(session, catalog, actor, name, year=year, due=due, title=plan["title"])
    schedule = default_schedule()
    days = [due - timedelta(days=d) for d in schedule.before_days]
    days += [due + timedelta(days=d) for d in schedule.after_days]
    days += [today]
    for day in sorted(d for d in days if opened <= d <= today):
        with unit_of_work(database) as session:
            run_reminders(session, catalog, day, actor="system")
    return _summary(database, catalog, name, today)


def _summary(database: Engine, catalog: Catalog, name: str, today: date) -> DemoCampaign:
    from esgledger.ledger.reads.records import current_records
    from esgledger.notices import INBOX

    with unit_of_work(database) as session:
        campaign = get_campaign(session, name)
        frame = progress(session, catalog, campaign, today)
        notices = len(current_records(session, INBOX))
    complete = int(frame["complete"].sum())
    overdue = int((frame["overdue_days"] > 0).sum())
    return DemoCampaign(name, campaign.due, frame.height, complete, overdue, notices)
