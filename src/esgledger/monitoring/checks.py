"""Running the early-warning rules over meter readings, over whole columns.

:func:`check_day` evaluates every rule for one local day: it reads the day totals of the
rules' meters from the start of the baseline (or of the month) to that day once, then each
kind of rule is a few column expressions over that frame. Quota and run-rate rules sum the
main meters of their entity and carrier (sub-meters are inside them); the other rules
watch every meter. What is found becomes alerts
(``alerts.raise_alerts``); :func:`check_ingested` runs it for the days a batch of readings
touched (the listener and the API call it), a job may call it on a schedule.

A profile or gap judges a whole day, so a batch of readings has it judged only once the
day is over: readings of the next day have come, or every meter reporting that day has
sent all its expected readings. A day still in progress looks like a drop and a gap; the
batch that ends the day judges it. A check run for a day by hand or on a schedule judges
it as ended.

Robust z-score (Iglewicz and Hoaglin 1993): ``z = 0.6745 (x - median) / MAD`` over the
baseline days of the same kind (working day or weekend).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger.reads.readings import readings_frame
from esgledger.monitoring.alerts import Finding, alert_text, raise_alerts
from esgledger.monitoring.ingest import IngestOutcome, limits
from esgledger.monitoring.meters import Meter, load_meters
from esgledger.monitoring.rollup import day_totals, utc_bounds
from esgledger.monitoring.rules import Rule, load_rules
from esgledger.units import conversion_factor


def check_day(
    session: Session,
    day: date,
    tz: str,
    *,
    actor: str = "monitoring",
    meters: set[str] | None = None,
    ended: bool | None = True,
    kinds: frozenset[str] | None = None,
) -> list[str]:
    """Evaluate the rules (of ``kinds``, default all) for local ``day``; open alerts for
    what is found; their keys.

    ``ended``: True when the caller knows the day is over (a check by hand or on a
    schedule); None when a batch of readings asks, to tell from the readings whether the
    whole-day rules may judge the day yet and to leave resolved alerts resolved unless
    their figures changed."""
    rules = list(load_rules(session).values())
    registry = load_meters(session)
    findings = []
    for rule in rules:
        if kinds is not None and rule.kind not in kinds:
            continue
        watched = _watched(registry, rule)
        if meters is not None and not watched.keys() & meters:
            continue
        if not watched:
            continue
        if rule.kind == "stuck":
            start, end = utc_bounds(day, day, tz)
            findings.extend(stuck_findings(rule, readings_frame(session, start, end, watched), day))
        else:
            days = _history(session, day, tz, watched)
            if rule.kind in WHOLE_DAY_KINDS and not (ended or _day_is_over(days, day)):
                continue
            findings.extend(evaluate(rule, watched, days, day))
    return raise_alerts(session, findings, actor=actor, reopen_unchanged=bool(ended))


def check_ingested(
    session: Session, outcome: IngestOutcome, tz: str, *, actor: str = "monitoring"
) -> list[str]:
    """Check the local days a batch of readings touched, and the whole-day rules of the
    day before them, which the batch's first readings may have ended (its sums did not
    change); the keys of the alerts opened."""
    if outcome.first_at is None or outcome.last_at is None:
        return []
    first = _local_day(outcome.first_at, tz)
    last = _local_day(outcome.last_at, tz)
    days = [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
    meters = set(outcome.meters)
    opened = check_day(session, first - timedelta(days=1), tz, actor=actor, meters=meters,
                       ended=None, kinds=WHOLE_DAY_KINDS)  # fmt: skip
    for day in days:
        opened += check_day(session, day, tz, actor=actor, meters=meters, ended=None)
    return opened


def _local_day(instant: datetime, tz: str) -> date:
    """The local day of a naive UTC instant."""
    return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).date()


def _watched(registry: dict[str, Meter], rule: Rule) -> dict[str, Meter]:
    """Sums (quota, run rate) take the main meters, sub-meters being inside them; the
    per-meter checks (profile, gap, stuck) watch every meter of the entity and carrier."""
    mains_only = rule.kind in ("quota", "run_rate")
    return {
        code: m for code, m in registry.items()
        if m.entity == rule.entity and m.carrier == rule.carrier
        and not (mains_only and m.parent is not None)
    }  # fmt: skip


def _history(session: Session, day: date, tz: str, meters: dict[str, Meter]) -> pl.DataFrame:
    """Day totals from the start of the baseline (or of the month) to the day after ``day``:
    the day after tells whether ``day`` is over (see :func:`_day_is_over`)."""
    first = min(day - timedelta(days=limits()["profile"]["baseline_days"]), day.replace(day=1))
    return day_totals(session, first, day + timedelta(days=1), tz, meters)


def evaluate(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame, day: date) -> list[Finding]:
    """The findings of one rule on ``day`` from the meters' day totals (through the day after)."""
    return _KINDS[rule.kind](rule, meters, days.filter(pl.col("day") <= day), day)


def _day_is_over(days: pl.DataFrame, day: date) -> bool:
    """Whether the readings show that ``day``, on which some meter reported, ended: a meter
    sent readings of the next day, or every meter that reported on ``day`` sent all it
    should (a silent meter is the gap rule's finding, not a sign that the day goes on).
    A day no meter reported on is left to a check by hand or on a schedule."""
    reporting = days.filter((pl.col("day") == day) & (pl.col("readings") > 0))
    following = days.filter((pl.col("day") == day + timedelta(days=1)) & (pl.col("readings") > 0))
    if reporting.height == 0:
        return False
    return following.height > 0 or reporting["missing"].max() == 0


def _in_rule_unit(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame) -> pl.DataFrame:
    factors = {c: conversion_factor(m.unit, rule.unit or m.unit) for c, m in meters.items()}
    factor = pl.col("meter").replace_strict(factors, return_dtype=pl.Float64)
    return days.with_columns(total=pl.col("total") * factor)


def _quota(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame, day: date) -> list[Finding]:
    first = day if rule.period == "day" else day.replace(day=1)
    used = _in_rule_unit(rule, meters, days).filter(pl.col("day").is_between(first, day))
    total = float(used["total"].sum())
    if total <= (rule.limit or 0):
        return []
    window = str(day) if rule.period == "day" else f"{day:%Y-%m}"
    said = {"carrier": rule.carrier, "unit": rule.unit,
            "used": f"{total:,.1f}", "limit": f"{rule.limit:,.1f}"}  # fmt: skip
    return [_finding(rule, rule.entity, window, said, f"quota_{rule.period}", used=total)]


def _run_rate(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame, day: date) -> list[Finding]:
    month = _in_rule_unit(rule, meters, days).filter(
        pl.col("day").is_between(day.replace(day=1), day)
    )
    elapsed = month["day"].n_unique()
    if elapsed == 0:
        return []
    days_in_year = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    projected = float(month["total"].sum()) / elapsed * days_in_year
    if projected <= (rule.limit or 0):
        return []
    said = {"carrier": rule.carrier, "unit": rule.unit,
            "projected": f"{projected:,.0f}", "limit": f"{rule.limit:,.0f}"}  # fmt: skip
    return [_finding(rule, rule.entity, f"{day:%Y-%m}", said, projected=projected)]


def _profile(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame, day: date) -> list[Finding]:
    cfg = limits()["profile"]
    weekend = pl.col("day").dt.weekday() >= 6
    scored = (
        days.with_columns(weekend=weekend)
        .filter(pl.col("weekend") == (day.isoweekday() >= 6))
        .with_columns(
            median=pl.col("total").filter(pl.col("day") < day).median().over("meter"),
            count=pl.col("total").filter(pl.col("day") < day).count().over("meter"),
        )
        .with_columns(
            mad=(pl.col("total") - pl.col("median"))
            .abs()
            .filter(pl.col("day") < day)
            .median()
            .over("meter")
        )
        .filter(
            (pl.col("day") == day)
            & (pl.col("count") >= cfg["min_baseline_days"])
            & (pl.col("mad") > 0)
        )
        .with_columns(z=cfg["consistency"] * (pl.col("total") - pl.col("median")) / pl.col("mad"))
        .filter(
            (pl.col("z").abs() > cfg["robust_z_limit"])
            & (
                (pl.col("total") - pl.col("median")).abs()
                > cfg["min_relative_deviation"] * pl.col("median").abs()
            )
        )
    )
    return [
        _finding(rule, meter, str(day),
                 {"meter": meter, "total": f"{total:,.1f}", "median": f"{median:,.1f}",
                  "z": f"{z:.1f}"},
                 total=total, median=median, z=z)
        for meter, total, median, z in scored.select("meter", "total", "median", "z").iter_rows()
    ]  # fmt: skip


def _gap(rule: Rule, meters: dict[str, Meter], days: pl.DataFrame, day: date) -> list[Finding]:
    share = limits()["gaps"]["max_missing_share"]
    late = (
        days.filter(pl.col("day") == day)
        .with_columns(share=pl.col("missing") / (pl.col("readings") + pl.col("missing")))
        .filter(pl.col("share") > share)
    )
    return [
        _finding(
            rule,
            meter,
            str(day),
            {"meter": meter, "missing": str(missing), "day": str(day)},
            missing=missing,
        )
        for meter, missing in late.select("meter", "missing").iter_rows()
    ]


def stuck_findings(rule: Rule, readings: pl.DataFrame, day: date) -> list[Finding]:
    """Meters whose readings repeat one value for at least the configured run of intervals."""
    runs = (
        readings.sort("meter", "at")
        .with_columns(
            run=(pl.col("value") != pl.col("value").shift(1))
            .fill_null(True)
            .cum_sum()
            .over("meter")
        )
        .group_by("meter", "run")
        .agg(length=pl.len(), value=pl.col("value").first())
        .filter(pl.col("length") >= limits()["stuck"]["min_repeats"])
        .group_by("meter")
        .agg(pl.col("length").max(), pl.col("value").first())
    )
    return [
        _finding(rule, meter, str(day),
                 {"meter": meter, "value": str(value), "repeats": str(length)}, repeats=length)
        for meter, length, value in runs.select("meter", "length", "value").iter_rows()
    ]  # fmt: skip


def _finding(
    rule: Rule, subject: str, window: str, said: dict[str, str], text: str = "", **figures: float
) -> Finding:
    """A finding worded by the catalogue's ``monitor_alert.{text or kind}`` (errors_text)
    filled with ``said``, both kept with the alert so that each page words it in its own
    language; the English message is for logs and the command line."""
    code = f"monitor_alert.{text or rule.kind}"
    message = alert_text({"text": code, "said": said}, "en")
    return Finding(rule.id, rule.kind, rule.entity, subject, window, message, figures, code, said)


WHOLE_DAY_KINDS = frozenset({"profile", "gap"})
_KINDS = {"quota": _quota, "run_rate": _run_rate, "profile": _profile, "gap": _gap}
