"""The demo group's safety registers, generated from data so their counts reconcile.

Each site's yearly hazards, drills and lost-time injuries are the demo's typed figures
for that entity (:func:`esgledger.demo.generate.yearly_split`), so the register-derived
counts equal the typed totals year by year; the records themselves (titles, dates, owners,
risk points) come from ``data/safety/register.yaml``. Every record goes through the same
checks as a user's (LEC scales, the hazard loop), in one write per register; the site
plans and the photos of the hazards walked through the loop are drawn by
:mod:`esgledger.demo.pictures` and stored as evidence files.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.demo.generate import apportion, yearly_split
from esgledger.demo.pictures import hazard_photo_png, site_plan_png
from esgledger.ledger.blobs import BlobStore
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_record
from esgledger.safety.hazards import close, record_hazards, rectify, verify
from esgledger.safety.models import DRILLS, HAZARDS, INCIDENTS, RISK_POINTS, SITE_PLANS
from esgledger.safety.plans import store_plan
from esgledger.safety.register import Entry, write_entries

YEARS = (2022, 2023, 2024)
MIN_HAZARDS_FOR_RISK_POINTS = 100  # sites with production risks get the full risk list
MAX_PICTURE_BYTES = 1_000_000  # the drawn pictures are ~10 kB


def spec() -> dict[str, Any]:
    text = (files("esgledger.demo") / "data" / "safety" / "register.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _day(year: int, index: int, count: int, last_day: int = 349) -> date:
    """The index-th of ``count`` dates spread over a year (to mid-December, so every
    hazard is closed within its year)."""
    return date(year, 1, 1) + timedelta(days=index * last_day // max(count, 1))


def risk_points(data: dict[str, Any]) -> list[Entry]:
    sites = yearly_split("safety.hazards_identified", YEARS[-1])
    entries = []
    for site, found in sites.items():
        if found < MIN_HAZARDS_FOR_RISK_POINTS:
            continue
        for number, row in enumerate(data["risk_point_templates"], start=1):
            name, area, l_, e, c, controls, x, y = row
            fields = {
                "name": name,
                "area": area,
                "l": str(l_),
                "e": str(e),
                "c": str(c),
                "controls": controls,
                "owner": f"{area}主任",
                "x": x,
                "y": y,
            }
            entries.append(Entry(f"RP-{site}-{number:02d}", site, fields, 0))
    return entries


def hazards(data: dict[str, Any]) -> list[Entry]:
    entries = []
    for year in YEARS:
        majors = yearly_split("safety.major_hazards_identified", year)
        for site, found in yearly_split("safety.hazards_identified", year).items():
            guessed = round(found * data["major_share_before_published"])
            major = majors.get(site, 0) if majors else guessed
            entries.extend(_site_hazards(data, site, year, found, major))
    entries.extend(_open_hazards(data))
    return entries


def _site_hazards(data: dict, site: str, year: int, found: int, major: int) -> list[Entry]:
    entries = []
    titles, major_titles = data["hazard_titles"], data["major_hazard_titles"]
    for index in range(found):
        severity = "major" if index < major else "general"
        on = _day(year, index, found)
        deadline = on + timedelta(days=data["days_to_rectify"][severity])
        late = (index + 1) % data["late_every"] == 0
        rectified = deadline + timedelta(days=2) if late else deadline - timedelta(days=1)
        pool = major_titles if severity == "major" else titles
        fields = {
            "title": pool[index % len(pool)],
            "severity": severity,
            "found_on": str(on),
            "found_by": data["inspectors"][index % len(data["inspectors"])],
            "inspection": "routine",
            "owner": f"{site}-车间主任",
            "deadline": str(deadline),
            "status": "closed",
            "rectified_on": str(rectified),
            "rectified_by": f"{site}-车间主任",
            "rectification": "已整改",
            "verified_on": str(rectified + timedelta(days=1)),
            "verified_by": "安全环保部",
            "closed_on": str(rectified + timedelta(days=1)),
        }
        entries.append(Entry(f"HZ-{site}-{year}-{index + 1:04d}", site, fields, 0))
    return entries


def _open_hazards(data: dict[str, Any]) -> list[Entry]:
    entries = []
    for number, (site, title, severity, found_on, deadline) in enumerate(data["open_hazards"], 1):
        fields = {
            "title": title,
            "severity": severity,
            "found_on": found_on,
            "found_by": "集团安全督查组",
            "inspection": "special",
            "owner": f"{site}-车间主任",
            "deadline": deadline,
        }
        entries.append(Entry(f"HZ-{site}-2025-{number:04d}", site, fields, 0))
    return entries


def drills(data: dict[str, Any]) -> list[Entry]:
    entries = []
    kinds = data["drill_kinds"]
    for year in YEARS:
        for site, count in yearly_split("safety.emergency_drills", year).items():
            for index in range(count):
                kind, scenario, people = kinds[index % len(kinds)]
                fields = {
                    "held_on": str(_day(year, index, count, 364)),
                    "kind": kind,
                    "scenario": scenario,
                    "participants": people,
                }
                entries.append(Entry(f"DR-{site}-{year}-{index + 1:03d}", site, fields, 0))
    return entries


def incidents() -> list[Entry]:
    entries = []
    for year in YEARS:
        days = yearly_split("safety.lost_days", year)
        for site, injured in yearly_split("safety.lost_time_injuries", year).items():
            shares = apportion(days.get(site, 0), [1] * injured) if injured else []
            for index, lost in enumerate(shares):
                fields = {
                    "occurred_on": str(_day(year, index * 5 + 2, injured * 5)),
                    "kind": "机械伤害",
                    "injured": 1,
                    "lost_days": lost,
                    "description": "作业中手部受伤，休工治疗",
                }
                entries.append(Entry(f"IN-{site}-{year}-{index + 1:02d}", site, fields, 0))
    return entries


def load_safety(database: Engine, manager: str, files_root: Path | BlobStore) -> dict[str, int]:
    """Write the demo's safety registers as the group manager, the site plans and the
    hazards taken on through the loop (photos kept in ``files_root``); records per register."""
    principal = Principal(0, manager, Role.GROUP_MANAGER, None)
    data = spec()
    written = {}
    with unit_of_work(database) as session:
        written[RISK_POINTS] = write_entries(
            session, principal, RISK_POINTS, risk_points(data), action="safety.demo"
        )
        written["safety.hazards"] = record_hazards(
            session, principal, hazards(data), action="safety.demo"
        )
        written[DRILLS] = write_entries(
            session, principal, DRILLS, drills(data), action="safety.demo"
        )
        written[INCIDENTS] = write_entries(
            session, principal, INCIDENTS, incidents(), action="safety.demo"
        )
        written[SITE_PLANS] = _site_plans(session, principal, data, files_root)
        for walk in data["loop_walks"]:
            _walk(session, walk, files_root)
    return written


def _site_plans(
    session: Session, principal: Principal, data: dict[str, Any], files_root: Path | BlobStore
) -> int:
    """The demo plan for every site with risk points, the points placed on their areas."""
    points = [(row[1], row[6], row[7]) for row in data["risk_point_templates"]]
    plan = site_plan_png(points)
    sites = sorted({entry.entity for entry in risk_points(data)})
    for site in sites:
        store_plan(session, principal, site, plan, data["site_plan_name"], files_root,
                   MAX_PICTURE_BYTES)  # fmt: skip
    return len(sites)


def _walk(session: Session, walk: dict[str, Any], files_root: Path | BlobStore) -> None:
    """Take an open hazard through rectification (with before and after photos) and, when
    the walk says so, verification and closure by someone else."""
    key = walk["hazard"]
    site = str(current_record(session, HAZARDS, key).entity)
    owner = Principal(0, walk["rectified_by"], Role.REPORTER, frozenset({site}))
    photos = [
        (f"{key}-{stage}.png", hazard_photo_png(key, walk["picture"], stage))
        for stage in ("before", "after")
    ]
    rectify(session, owner, key, note=walk["note"], photos=photos,
            on=date.fromisoformat(walk["rectified_on"]), files_root=files_root,
            max_bytes=MAX_PICTURE_BYTES)  # fmt: skip
    if "verified_by" in walk:
        verifier = Principal(0, walk["verified_by"], Role.GROUP_MANAGER, None)
        verify(session, verifier, key, on=date.fromisoformat(walk["verified_on"]))
        close(session, verifier, key, on=date.fromisoformat(walk["closed_on"]))
