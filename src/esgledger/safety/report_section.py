"""What the report's safety risk management section prints, computed from the registers.

The report (``esgledger.report.prepare``) calls :func:`report_section` with the hours
worked and headcount its own calculation already holds for the year, so LTIFR rests on the
same typed values as the performance tables, and the counts on the registers. Everything
returned is plain data (numbers, texts, the SVG of the map), ready for the template.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.ledger.orgstore import load_org
from esgledger.safety.lec import lec_method
from esgledger.safety.models import RISK_POINTS
from esgledger.safety.rates import definitions
from esgledger.safety.reconcile import ltifr_rate
from esgledger.safety.register import visible_records
from esgledger.safety.riskmap import render_map
from esgledger.safety.summary import map_points, summary

READER = Principal(0, "report", Role.AUDITOR, None)  # reads every entity, writes nothing


def report_section(
    session: Session, year: int, hours_worked: float | None, headcount: float | None
) -> dict[str, Any]:
    """The year's register figures, rates, LTIFR and the map of the site most at risk;
    empty when the registers hold nothing for the year."""
    found = summary(session, READER, year, date(year, 12, 31))
    if not any(found.totals.values()) and not any(found.grades.values()):
        return {}
    found_by_site = dict(zip(found.by_site["entity"], found.by_site["found"], strict=True))
    site = _site_most_at_risk(session, found_by_site)
    points = map_points(session, READER, site) if site else []
    entity = load_org(session).get(site) if site else None
    names = {lang: entity.name(lang) for lang in ("en", "zh")} if entity else {}
    return {
        "year": year,
        "totals": found.totals,
        "correction_rate": found.correction_rate,
        "overdue_rate": found.overdue_rate,
        "grades": [
            {"id": g.id, "colour": g.colour, "name": g.name, "count": found.grades[g.id]}
            for g in lec_method().grades
        ],
        "ltifr": _ltifr(found.totals.get("lost_time_injured", 0), hours_worked, headcount),
        "map_site": names,
        "map_svg": {lang: render_map(names[lang], points, None, lang) for lang in names},
        "map_points": [
            {"number": n, "name": p.name, "score": p.score, "grade": p.grade}
            for n, p in enumerate(points, start=1)
        ],
    }


def _ltifr(injured: int, hours: float | None, headcount: float | None) -> dict[str, Any]:
    bases = definitions()["lost_time_injury_frequency"]
    return {
        "per_million_hours": ltifr_rate(injured, hours, bases["per_million_hours"])
        if hours
        else None,
        "per_thousand_employees": ltifr_rate(injured, headcount, bases["per_thousand_employees"])
        if headcount
        else None,
    }


def _site_most_at_risk(session: Session, found: dict[str, int]) -> str | None:
    """The site whose risk points weigh most (red first, then orange ...); of equals, the
    one with the most hazards found."""
    grades = lec_method().grades  # from the highest: each outweighs all below it
    weight = {g.id: 10 ** (len(grades) - i) for i, g in enumerate(grades)}
    weights: dict[str, int] = {}
    for point in visible_records(session, READER, RISK_POINTS):
        site = point.entity or ""
        weights[site] = weights.get(site, 0) + weight.get(point.payload["grade"], 0)
    return max(sorted(weights), key=lambda s: (weights[s], found.get(s, 0))) if weights else None
