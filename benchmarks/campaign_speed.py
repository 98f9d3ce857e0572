"""Opening a campaign to 42 entities x 300 inputs and queueing its notices, against a
plain executemany of the same rows, on SQLite (and PostgreSQL when the test server answers).

Run:  .venv/bin/python benchmarks/campaign_speed.py

Budget (issue 17): under 5 s for the campaign created and its notices queued. The storage
holds it by writing one request record per entity (its 300 owed inputs as a list inside),
not one per (entity, indicator): 1 campaign + 42 requests + 42 notices = 85 sealed rows,
plus the notice_delivery job queued. The baseline, measured in the same run on the same
database, inserts the same 85 rows with one executemany and no seals, audit entry or reads:
the ratio is what the ledger's guarantees (sealed versions, conflict checks, reading the
org, overrides and grants) cost on top of writing the rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from esgledger.auth.roles import Role
from esgledger.auth.service import add_user
from esgledger.catalog import load_catalog
from esgledger.collection.campaigns import create_campaign, requests_of
from esgledger.collection.obligations import owed_indicators, set_overrides
from esgledger.jobs import Jobs
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work, utcnow
from esgledger.ledger.orgstore import save_entities
from esgledger.ledger.records import canonical_payload
from esgledger.ledger.schema import RecordVersion
from esgledger.org import Entity
from esgledger.settings import Settings

ENTITIES, INPUTS, BUDGET_SECONDS = 42, 300, 5.0
PG_URL = os.environ.get(
    "ESGLEDGER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def group() -> list[Entity]:
    root = Entity(code="GRP", name_en="Group", name_zh="集团", kind="group")
    sites = [
        Entity(
            code=f"S{n:02d}",
            name_en=f"Site {n}",
            name_zh=f"单位{n}",
            kind="subsidiary",
            parent="GRP",
            segment="smelting_separation",
        )
        for n in range(1, ENTITIES + 1)
    ]
    return [root, *sites]


def set_up(database) -> list[str]:
    """42 sites, each owing exactly 300 inputs (rules plus overrides), a reporter each."""
    catalog = load_catalog()
    inputs = [i.id for i in catalog.inputs()]
    with unit_of_work(database) as session:
        calendar.open_years(session, "bench", [2024])
        save_entities(session, "bench", group())
        add_user(session, "bench", "manager", "correct horse battery", Role.GROUP_MANAGER)
        for entity in group()[1:]:
            owed = owed_indicators(catalog, entity, 2024)
            extra = [i for i in inputs if i not in owed][: INPUTS - len(owed)]
            set_overrides(session, catalog, "bench", entity.code, add=extra, reason="bench")
            add_user(session, "bench", f"r-{entity.code.lower()}", "correct horse battery",
                     Role.REPORTER, entities=[entity.code])  # fmt: skip
    return [e.code for e in group()[1:]]


def timed_campaign(database, settings: Settings, codes: list[str]) -> tuple[float, int]:
    catalog = load_catalog()
    jobs = Jobs(settings)
    started = time.perf_counter()
    with unit_of_work(database) as session:
        create_campaign(
            session, catalog, "manager", "bench", year=2024, due=date(2025, 3, 31), entities=codes
        )
    jobs.submit("notice_delivery", {}, "manager", database)
    elapsed = time.perf_counter() - started
    with unit_of_work(database) as session:
        owed = {len(r.owed) for r in requests_of(session, "bench")}
    assert owed == {INPUTS}, owed
    return elapsed, len(codes)


def timed_baseline(database, codes: list[str]) -> float:
    """The same 85 rows (campaign, requests with 300 ids each, notices), one executemany."""
    ids = [f"x.input_{n:03d}" for n in range(INPUTS)]
    at = utcnow()
    rows = [dict(register="b.campaigns", record_key="bench", version=1, entity=None,
                 payload=canonical_payload({"year": 2024, "entities": codes}))]  # fmt: skip
    for code in codes:
        payload = {"campaign": "bench", "entity": code, "owners": ["r"], "owed": ids, "sent": []}
        rows.append(dict(register="b.requests", record_key=f"bench|{code}", version=1,
                         entity=code, payload=canonical_payload(payload)))  # fmt: skip
        notice = {"recipient": "r", "kind": "campaign.opened", "params": {"entity": code}}
        rows.append(dict(register="b.inbox", record_key=f"r|{uuid.uuid4().hex}", version=1,
                         entity="r", payload=canonical_payload(notice)))  # fmt: skip
    for row in rows:
        row.update(retired=False, author="bench", recorded_at=at, reason=None)
    started = time.perf_counter()
    with unit_of_work(database) as session:
        session.execute(insert(RecordVersion), rows)
    return time.perf_counter() - started


def run(label: str, url: str, folder: Path, connect_args: dict | None = None) -> bool:
    database = (
        open_database(url)
        if connect_args is None
        else create_engine(url, connect_args=connect_args)
    )
    migrate(database)
    codes = set_up(database)
    settings = Settings(db=url, queue_url=f"sqlite:///{folder / f'{label}-queue.db'}")
    baseline = timed_baseline(database, codes)
    elapsed, count = timed_campaign(database, settings, codes)
    database.dispose()
    ok = elapsed < BUDGET_SECONDS
    print(
        f"{label:10s} campaign to {count} entities x {INPUTS} inputs + {count} notices queued: "
        f"{elapsed:6.2f} s   baseline executemany of the same rows: {baseline * 1000:7.1f} ms   "
        f"ratio {elapsed / baseline:6.1f}x   "
        f"budget {BUDGET_SECONDS:.0f} s: {'ok' if ok else 'OVER'}"
    )
    return ok


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    ok = run("sqlite", f"sqlite:///{folder / 'ledger.db'}", folder)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server: the SQLite line stands alone
        print(f"postgresql skipped: {type(exc).__name__}")
        return 0 if ok else 1
    try:
        ok = run("postgresql", PG_URL, folder, {"options": f"-csearch_path={schema}"}) and ok
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
