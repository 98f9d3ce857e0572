"""The monitoring page's dashboard: a site's carrier around a day (load profile, day and
month trends, top consumers) and the key energy-using units against their target.

The figures come from :func:`esgledger.monitoring.dashboard.site_dashboard` (the meters)
and :func:`esgledger.targets.members.member_standings` (the engine's results, the same
run as the dashboard's); this module names things in the page's language and draws the
charts, cached by what they show.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from esgledger.errors import EsgError
from esgledger.monitoring.dashboard import SiteDashboard, site_dashboard
from esgledger.monitoring.meters import Meter
from esgledger.settings import NotConfigured
from esgledger.targets.members import MemberStanding, member_standings
from esgledger.web import charts
from esgledger.web.monitoring_charts import days_chart, months_chart, profile_chart
from esgledger.web.plan_sources import configured_targets, load_target_file
from esgledger.web.render import PageEnv

SVGS = charts.SvgCache(size=32)
KEY_UNIT_PREFIX = "energy.intensity"  # the targets whose boundary's units are listed


def site_view(env: PageEnv, meters: dict[str, Meter], carrier: str | None, day: date) -> dict:
    """The chosen carrier's dashboard (the first carrier of the site by default)."""
    carriers = sorted({m.carrier for m in meters.values()})
    chosen = carrier if carrier in carriers else carriers[0]
    tz = env.request.app.state.settings.timezone
    board = site_dashboard(env.session, env.catalog, meters, chosen, day, tz)
    return {
        "carriers": carriers,
        "carrier": chosen,
        "board": board,
        "consumers": board.consumers.to_dicts(),
        "months": board.months.to_dicts(),
        "profile": board.profile.to_dicts(),
        "charts": _charts(env, board),
    }


def _charts(env: PageEnv, board: SiteDashboard) -> dict[str, str]:
    day, usual = env.t("monitor_dash.this_day"), env.t("monitor_dash.usual")
    metered, ledger = env.t("monitor_dash.metered"), env.t("monitor_dash.ledger")
    profile = [
        {"hour": r["hour"], "series": name, "value": r[column]}
        for r in board.profile.to_dicts()
        for name, column in ((day, "load"), (usual, "usual"))
        if r[column] is not None
    ]
    days = [{"day": f"{r['day']:%m-%d}", "value": r["total"]} for r in board.days.to_dicts()]
    months = [
        {"month": r["month"], "series": name, "value": r[column]}
        for r in board.months.to_dicts()
        for name, column in ((metered, "metered"), (ledger, "ledger"))
        if r[column] is not None
    ]
    drawn = {"profile": profile, "days": days, "months": months, "lang": env.lang}
    key = hashlib.sha256(json.dumps(drawn, sort_keys=True, default=str).encode()).hexdigest()
    unit = board.unit

    def build() -> dict[str, str]:
        return {
            "profile": charts.to_svg(profile_chart(profile, [day, usual]),
                                     env.t("monitor_dash.profile", unit=unit)),
            "days": charts.to_svg(days_chart(days), env.t("monitor_dash.days", unit=unit)),
            "months": charts.to_svg(months_chart(months, [metered, ledger]),
                                    env.t("monitor_dash.months", unit=unit)),
        }  # fmt: skip

    return SVGS.get(key, build)


def key_units_view(env: PageEnv) -> dict[str, Any] | None:
    """Each unit inside the boundary of an energy-intensity target, in the latest year,
    against what the target asks of it; None when no such target or result exists."""
    if configured_targets(env) is None:
        return None
    try:
        targets = [
            t for t in load_target_file(env).targets if t.indicator.startswith(KEY_UNIT_PREFIX)
        ]
        run = env.request.app.state.results.run(env.session) if targets else None
    except (EsgError, NotConfigured):  # a broken targets file or no organisation: not shown
        return None
    if run is None or not run.years:
        return None
    year, visible = run.years[-1], env.principal.entities
    views = []
    for target in targets:
        standings = [
            s for s in member_standings(run.results[0], target, year)
            if visible is None or s.entity in visible
        ]  # fmt: skip
        if standings:
            views.append({"target": target, "rows": [_row(s) for s in standings]})
    unit = env.catalog.get(targets[0].indicator).unit if targets else ""
    return {"year": year, "targets": views, "unit": unit} if views else None


def _row(standing: MemberStanding) -> dict[str, Any]:
    return {
        "entity": standing.entity,
        "value": standing.value,
        "previous": standing.previous,
        "goal": standing.goal,
        "met": standing.met,
        "months": standing.months,
    }
