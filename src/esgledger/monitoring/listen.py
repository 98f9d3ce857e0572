"""Listening to meter readings over MQTT: nothing acknowledged before it is committed.

The listener holds a persistent MQTT 5 session (fixed client id, no clean start, a
session expiry), subscribes with QoS 1 and acknowledges each message by hand only after
the batch it is in has been committed (readings, dead letters and the alerts the checks
opened). So a broker outage or a crash loses nothing: the broker keeps what was not
acknowledged and what arrived meanwhile, and sends it again on reconnect; a message
received twice is harmless because readings are idempotent (``ledger/readings.py``).

Messages are taken in batches (up to ``batch_size`` or ``flush_seconds``) so that one
commit carries thousands of readings. The broker limits unacknowledged messages in flight
per client; MQTT 5's Receive Maximum raises that window from the broker's default.
Mosquitto also queues at most ``max_queued_messages`` (1,000 by default) for an offline
client: gateways should batch readings into few messages (``{"meter":..,"readings":[..]}``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.monitoring.checks import check_ingested
from esgledger.monitoring.ingest import ingest_messages

log = logging.getLogger(__name__)
TOPIC = "esgledger/readings/#"
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600  # a week of outage is kept by the broker
RECEIVE_MAXIMUM = 65535


@dataclass
class ListenerStats:
    """What the listener has done: for the CLI's progress line and for tests."""

    messages: int = 0
    readings: int = 0
    dead_letters: int = 0
    alerts: list[str] = field(default_factory=list)
    connects: int = 0


class Listener:
    """A running MQTT subscription that writes batches of readings into a ledger."""

    def __init__(
        self, database: Engine, *, tz: str, host: str = "127.0.0.1", port: int = 1883,
        client_id: str = "esgledger-monitor", topic: str = TOPIC, batch_size: int = 5000,
        flush_seconds: float = 0.2,
    ) -> None:  # fmt: skip
        self.database, self.tz, self.topic = database, tz, topic
        self.batch_size, self.flush_seconds = batch_size, flush_seconds
        self.stats = ListenerStats()
        self.connected = threading.Event()
        self._inbox: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
            protocol=mqtt.MQTTv5, manual_ack=True,
        )  # fmt: skip
        self.client.reconnect_delay_set(min_delay=1, max_delay=8)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = lambda _c, _u, message: self._inbox.put(message)
        self._address = (host, port)

    def _on_connect(self, client, _userdata, _flags, reason, _properties) -> None:
        if reason.is_failure:
            log.warning("MQTT connection refused: %s", reason)
            return
        self.stats.connects += 1
        client.subscribe(self.topic, qos=1)
        self.connected.set()

    def _on_disconnect(self, _client, _userdata, _flags, reason, _properties) -> None:
        self.connected.clear()
        log.warning("MQTT connection lost (%s); reconnecting", reason)

    def start(self) -> None:
        """Connect (persistent session) and start the network thread; returns at once."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        properties.ReceiveMaximum = RECEIVE_MAXIMUM
        self.client.connect(*self._address, clean_start=False, properties=properties)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()

    def run(self, stop: threading.Event) -> None:
        """Take in batches until ``stop`` is set; each batch committed, then acknowledged."""
        while not stop.is_set():
            batch = self._next_batch(stop)
            if batch:
                self._commit_with_retry(batch, stop)

    def _next_batch(self, stop: threading.Event) -> list[mqtt.MQTTMessage]:
        try:
            batch = [self._inbox.get(timeout=0.5)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.flush_seconds
        while len(batch) < self.batch_size and not stop.is_set():
            try:
                batch.append(self._inbox.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return batch

    def _commit_with_retry(self, batch: list[mqtt.MQTTMessage], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.take(batch)
            except Exception:  # the database away: keep the batch, unacknowledged
                log.exception("could not store %d messages; trying again", len(batch))
                stop.wait(2)
                continue
            for message in batch:
                self.client.ack(message.mid, message.qos)
            return

    def take(self, batch: list[mqtt.MQTTMessage]) -> None:
        """Store one batch and run the checks of the days it touched, in one transaction."""
        payloads = [m.payload.decode("utf-8", errors="replace") for m in batch]
        with unit_of_work(self.database) as session:
            outcome = ingest_messages(session, payloads, "mqtt")
            opened = check_ingested(session, outcome, self.tz)
        self.stats.messages += len(batch)
        self.stats.readings += outcome.written.inserted + outcome.written.corrected
        self.stats.dead_letters += outcome.dead_letters
        self.stats.alerts.extend(opened)
