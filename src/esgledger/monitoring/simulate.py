"""A simulated plant feed: one month of 15-minute readings published over MQTT.

Each main meter that feeds the ledger gets the month's ledger value spread over its
intervals with a working-day load shape, so the month's rollup reconciles with the ledger;
sub-meters carry a share of their main meter. On the last day the first sub-meter draws
``spike`` times its usual load (a furnace running away), which the profile rule turns
into an early warning. Readings go one meter-day per message (96 readings), so a month of
a plant is a few hundred messages, well inside what a broker queues for an offline client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import numpy as np
import paho.mqtt.client as mqtt
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.monitoring.meters import Meter, load_meters
from esgledger.monitoring.rollup import utc_bounds
from esgledger.periods import Period
from esgledger.units import conversion_factor

PUBLISH_TIMEOUT_SECONDS = 30
SUB_METER_SHARE = 0.35  # of the main meter's load: a furnace line of a smelter


def day_shape(intervals: int) -> np.ndarray:
    """A load shape summing to 1: a day shift heavier than the night, smooth in between."""
    hours = np.arange(intervals) * 24 / intervals
    shape = 1.0 + 0.25 * np.sin((hours - 8) / 24 * 2 * np.pi)
    return shape / shape.sum()


def plan_feed(
    session: Session, catalog: Catalog, month: str, tz: str, entity: str, spike: float = 4.0
) -> list[dict]:
    """The messages of the month for ``entity``'s meters (nothing is sent here)."""
    period = Period.parse(month)
    meters = load_meters(session, [entity])
    monthly = _ledger_values(session, catalog, entity, str(period), meters)
    days = (period.end - period.start).days
    messages = []
    subs = [m for m in meters.values() if m.parent is not None]
    for main in (m for m in meters.values() if m.parent is None and m.code in monthly):
        daily = monthly[main.code] / days
        messages += _meter_days(main, period, days, tz, daily, spike_on=None, spike=1)
        for sub in (s for s in subs if s.parent == main.code):
            spike_on = days - 1 if sub is subs[0] else None
            share = daily * SUB_METER_SHARE * conversion_factor(main.unit, sub.unit)
            messages += _meter_days(sub, period, days, tz, share, spike_on, spike)
    return messages


def _ledger_values(
    session: Session, catalog: Catalog, entity: str, month: str, meters: dict[str, Meter]
) -> dict[str, float]:
    """Each main meter's month in its own unit, from the ledger's current value."""
    values = {
        r.indicator: r.canonical_value
        for r in latest_revisions(session, Selection([entity], [month]))
        if not r.is_tombstone and r.canonical_value is not None
    }
    return {
        code: values[m.indicator] * conversion_factor(catalog.get(m.indicator).unit, m.unit)
        for code, m in meters.items()
        if m.indicator in values
    }


def _meter_days(
    meter: Meter, period: Period, days: int, tz: str, daily: float,
    spike_on: int | None, spike: float,
) -> list[dict]:  # fmt: skip
    shape = day_shape(meter.expected_per_day)
    step = timedelta(minutes=meter.interval_minutes)
    rng = np.random.default_rng(len(meter.code))
    messages, register = [], 0.0
    day_factors = 1 + rng.normal(0, 0.03, days)  # day-to-day variation, the month unchanged
    day_factors /= day_factors.mean()
    for n in range(days):
        day = period.start + timedelta(days=n)
        start, _ = utc_bounds(day, day, tz)
        noise = 1 + rng.normal(0, 0.02, shape.size)
        loads = daily * shape * noise * (spike if n == spike_on else 1)
        loads *= daily * day_factors[n] * (spike if n == spike_on else 1) / loads.sum()
        if meter.reading == "counter":
            values = (register + np.cumsum(loads)) % (meter.rollover or float("inf"))
            register = float(values[-1])
        else:
            values = loads
        readings = [
            [(start + step * i).isoformat() + "Z", round(float(v), 6)] for i, v in enumerate(values)
        ]
        messages.append({"meter": meter.code, "readings": readings})
    return messages


def publish(messages: list[dict], *, host: str, port: int, topic: str) -> Iterator[int]:
    """Publish with QoS 1, waiting for each acknowledgement; yields the count sent."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect(host, port)
    client.loop_start()
    try:
        for number, message in enumerate(messages, start=1):
            sent = client.publish(topic, json.dumps(message), qos=1)
            sent.wait_for_publish(PUBLISH_TIMEOUT_SECONDS)
            if not sent.is_published():  # the broker went away: say so instead of waiting on
                raise EsgError.coded("monitor.broker_silent", host=host, port=port,
                                     seconds=PUBLISH_TIMEOUT_SECONDS, sent=number - 1)  # fmt: skip
            yield number
    finally:
        client.loop_stop()
        client.disconnect()
