"""The MQTT listener against the real Mosquitto: batches stored, outages survived."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta

import paho.mqtt.client as mqtt
import pytest

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.readings import dead_letter_count, readings_frame
from esgledger.monitoring.listen import Listener

HOST, PORT = "127.0.0.1", 1883
START = datetime(2024, 5, 1)


def broker_up() -> bool:
    try:
        socket.create_connection((HOST, PORT), timeout=2).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not broker_up(), reason="no MQTT broker at 127.0.0.1:1883")


def publisher():
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect(HOST, PORT)
    client.loop_start()
    return client


def publish(client, topic, numbers):
    for n in numbers:
        at = (START + timedelta(minutes=15 * n)).isoformat() + "Z"
        body = json.dumps({"meter": "SM-E-MAIN", "at": at, "value": 100.0})
        client.publish(topic, body, qos=1).wait_for_publish(5)


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def stored_count(database):
    with unit_of_work(database) as session:
        return readings_frame(session, START, START + timedelta(days=30)).height


@pytest.fixture
def listening(plant):
    """A listener on its own topic and client id, running in a thread."""
    tag = uuid.uuid4().hex[:10]
    listener = Listener(plant, tz="Asia/Shanghai", client_id=f"test-{tag}",
                        topic=f"test/{tag}/readings/#", flush_seconds=0.05)  # fmt: skip
    stop = threading.Event()
    listener.start()
    assert listener.connected.wait(10)
    worker = threading.Thread(target=listener.run, args=(stop,), daemon=True)
    worker.start()
    yield listener, f"test/{tag}/readings/plant"
    stop.set()
    worker.join(10)
    listener.stop()


def test_readings_and_bad_messages_arrive_over_mqtt(plant, listening):
    listener, topic = listening
    client = publisher()
    publish(client, topic, range(10))
    client.publish(topic, "{broken", qos=1).wait_for_publish(5)
    assert wait_for(lambda: listener.stats.messages == 11)
    client.loop_stop()
    assert stored_count(plant) == 10
    with unit_of_work(plant) as session:
        assert dead_letter_count(session) == 1


def test_a_dropped_connection_loses_nothing(plant, listening):
    listener, topic = listening
    client = publisher()
    publish(client, topic, range(20))
    assert wait_for(lambda: listener.stats.messages >= 20)
    # cut the listener's socket under it, as a broker restart or a network fault would
    listener.client.socket().shutdown(socket.SHUT_RDWR)
    assert wait_for(lambda: not listener.connected.is_set(), 5)
    publish(client, topic, range(20, 60))  # sent while the listener is away
    assert wait_for(lambda: listener.connected.is_set(), 30)
    assert wait_for(lambda: stored_count(plant) == 60, 30)
    assert listener.stats.connects >= 2
    client.loop_stop()
