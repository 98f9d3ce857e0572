"""Campaigns: a data request for a year to a set of entities, with a due date, owners per
entity and a reminder schedule.

Two registers hold a campaign: ``collection.campaigns`` (one record: year, due date,
schedule, managers told on escalation) and ``collection.requests`` (one record per entity,
key ``<campaign>|<entity>``: its owners, the inputs it owes as a list, and the reminder
steps already sent). One record per entity rather than per indicator keeps a campaign to
42 entities x 300 inputs at 43 sealed rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session

from esgledger.auth.roles import Role
from esgledger.auth.service import list_users
from esgledger.catalog.registry import Catalog
from esgledger.collection.completeness import completeness_frame
from esgledger.collection.obligations import all_overrides, owed_indicators
from esgledger.errors import EsgError
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.notices import Notice, post_notices

CAMPAIGNS = "collection.campaigns"
REQUESTS = "collection.requests"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
SCHEDULE_FILE = Path(__file__).with_name("data") / "reminders.yaml"


class Schedule(BaseModel):
    """Reminder days before and after the due date, and when the managers are told."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    before_days: tuple[int, ...] = Field(default=(), max_length=10)
    after_days: tuple[int, ...] = Field(default=(), max_length=10)
    escalate_after_days: int = Field(ge=0, le=365)

    @model_validator(mode="after")
    def _positive(self) -> Schedule:
        if any(d < 0 or d > 365 for d in (*self.before_days, *self.after_days)):
            raise ValueError("reminder days are between 0 and 365")
        return self


def default_schedule() -> Schedule:
    """The shipped schedule (data/reminders.yaml)."""
    return Schedule.model_validate(yaml.safe_load(SCHEDULE_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Campaign:
    name: str
    year: int
    due: date
    schedule: Schedule
    managers: tuple[str, ...]
    entities: tuple[str, ...]
    title: str

    @classmethod
    def of(cls, record: RecordView) -> Campaign:
        p = record.payload
        return cls(
            name=record.key,
            year=int(p["year"]),
            due=date.fromisoformat(p["due"]),
            schedule=Schedule.model_validate(p["schedule"]),
            managers=tuple(p.get("managers") or ()),
            entities=tuple(p.get("entities") or ()),
            title=p.get("title") or record.key,
        )


@dataclass(frozen=True)
class Request:
    """What one entity is asked for in one campaign."""

    key: str
    version: int
    campaign: str
    entity: str
    owners: tuple[str, ...]
    owed: tuple[str, ...]
    sent: tuple[str, ...]

    @classmethod
    def of(cls, record: RecordView) -> Request:
        p = record.payload
        return cls(
            key=record.key,
            version=record.version,
            campaign=p["campaign"],
            entity=p["entity"],
            owners=tuple(p.get("owners") or ()),
            owed=tuple(p.get("owed") or ()),
            sent=tuple(p.get("sent") or ()),
        )


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise EsgError.coded(
            "campaign.bad_field",
            field="name",
            problem=f"{name!r}: lower-case letters, digits, '-' and '_', at most 60",
        )


def owners_by_entity(session: Session) -> tuple[dict[str, list[str]], list[str]]:
    """Active reporters granted each entity, and the active group managers."""
    owners: dict[str, list[str]] = {}
    managers = []
    for user, entities in list_users(session):
        if not user.active:
            continue
        if user.role == Role.GROUP_MANAGER.value:
            managers.append(user.username)
        if user.role == Role.REPORTER.value:
            for code in entities:
                owners.setdefault(code, []).append(user.username)
    return owners, managers


def create_campaign(
    session: Session,
    catalog: Catalog,
    actor: str,
    name: str,
    *,
    year: int,
    due: date,
    title: str | None = None,
    entities: Sequence[str] | None = None,
    owners: Mapping[str, Sequence[str]] | None = None,
    schedule: Schedule | None = None,
) -> Campaign:
    """Open a campaign: its record, one request per entity owing anything, and a notice to
    each owner, written in one transaction (nothing half-saved).

    Owners default to the reporters granted the entity; an entity no reporter is granted
    is owned by the group managers (the group office answers it).

    Raises:
        EsgError: a bad name, a campaign of that name, or an unknown entity.
    """
    _check_name(name)
    if current_record(session, CAMPAIGNS, name) is not None:
        raise EsgError.coded("campaign.exists", key=name)
    org = {e.code: e for e in load_org(session)}
    chosen = sorted(entities) if entities is not None else sorted(org)
    for code in chosen:
        if code not in org:
            raise EsgError.coded("campaign.unknown_entity", entity=code)
    granted, managers = owners_by_entity(session)
    owners = {**granted, **(owners or {})}
    overrides = all_overrides(session)
    schedule = schedule or default_schedule()
    requests = []
    for code in chosen:
        owed = owed_indicators(catalog, org[code], year, overrides.get(code))
        if owed:
            who = sorted(owners.get(code) or managers)
            requests.append((code, who, owed))
    payload = {
        "year": year,
        "due": due.isoformat(),
        "title": title or name,
        "schedule": schedule.model_dump(mode="json"),
        "managers": sorted(managers),
        "entities": [code for code, _, _ in requests],
    }
    changes = [RecordChange(name, payload, expected_version=0)]
    append_records(session, CAMPAIGNS, changes, actor=actor, action="collection.campaign_open")
    request_changes = [
        RecordChange(
            f"{name}|{code}",
            {"campaign": name, "entity": code, "owners": who, "owed": owed, "sent": []},
            entity=code,
            expected_version=0,
        )
        for code, who, owed in requests
    ]
    append_records(session, REQUESTS, request_changes, actor=actor, action="collection.requests")
    notices = [
        Notice(
            user,
            "campaign_opened",
            {
                "campaign": name,
                "entity": code,
                "due": due.isoformat(),
                "count": str(len(owed)),
            },
            link=f"/entry/{code}/{year}",  # the form the owner answers in
            entity=code,
        )
        for code, who, owed in requests
        for user in who
    ]
    post_notices(session, notices, actor=actor)
    return Campaign.of(current_record(session, CAMPAIGNS, name))  # type: ignore[arg-type]


def list_campaigns(session: Session) -> list[Campaign]:
    """Every open campaign, newest due date first."""
    found = [Campaign.of(r) for r in current_records(session, CAMPAIGNS)]
    return sorted(found, key=lambda c: (c.due, c.name), reverse=True)


def get_campaign(session: Session, name: str) -> Campaign:
    """Raises: EsgError when there is no such campaign."""
    record = current_record(session, CAMPAIGNS, name)
    if record is None or record.retired:
        raise EsgError.coded("campaign.not_found", key=name)
    return Campaign.of(record)


def requests_of(
    session: Session, campaign: str, entities: Sequence[str] | None = None
) -> list[Request]:
    """The campaign's requests (one per entity), in entity order."""
    prefix = f"{campaign}|"
    return [
        Request.of(r)
        for r in current_records(session, REQUESTS, entities=entities)
        if r.key.startswith(prefix)
    ]


def requested_frame(requests: Sequence[Request]) -> pl.DataFrame:
    """The (entity, indicator) pairs the requests ask for."""
    return pl.DataFrame(
        {
            "entity": [r.entity for r in requests for _ in r.owed],
            "indicator": [i for r in requests for i in r.owed],
        },
        schema={"entity": pl.String, "indicator": pl.String},
    )


def progress(session: Session, catalog: Catalog, campaign: Campaign, today: date) -> pl.DataFrame:
    """Per entity of the campaign: owed, answered, missing, share, complete, overdue days."""
    requests = requests_of(session, campaign.name)
    frame = completeness_frame(session, catalog, requested_frame(requests), campaign.year)
    late = max((today - campaign.due).days, 0)
    owners = {r.entity: ", ".join(r.owners) for r in requests}
    return frame.with_columns(
        owners=pl.col("entity").replace_strict(owners, default=""),
        overdue_days=pl.when(pl.col("complete")).then(0).otherwise(pl.lit(late)),
    )


def _bad(field: str, exc: ValidationError) -> EsgError:
    return EsgError.coded("campaign.bad_field", field=field, problem=str(exc.errors()[0]["msg"]))


def schedule_from(before: Sequence[int], after: Sequence[int], escalate: int) -> Schedule:
    """A schedule from user input. Raises: EsgError naming what is wrong."""
    try:
        return Schedule(
            before_days=tuple(before), after_days=tuple(after), escalate_after_days=escalate
        )
    except ValidationError as exc:
        raise _bad("schedule", exc) from None
