"""`esgledger monitor ...`: meters, readings (MQTT, CSV), rollups, reconciliation, alerts.

The commands only choose files and print; the work is in ``esgledger.monitoring``. Days
are the local days of the ``timezone`` setting.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    ledger_database,
    ledger_session,
    message_language,
    print_table,
)
from esgledger.cli.words import Words

app = typer.Typer(help="Monitoring: meters, readings, rollups and early warnings.",
                  no_args_is_help=True)  # fmt: skip
HostOption = Annotated[str, typer.Option("--host", help="MQTT broker host")]
PortOption = Annotated[int, typer.Option("--port", help="MQTT broker port")]
TopicOption = Annotated[str, typer.Option("--topic", help="MQTT topic of the readings")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="monitor")


def _tz() -> str:
    from esgledger.settings import load_settings

    return load_settings().timezone


@app.command("meters")
def meters_command(
    file: Annotated[Path | None, typer.Argument(help="YAML list of meters to register")] = None,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Register meters from a YAML file (all or none); without a file, list them."""
    from esgledger.monitoring.meters import load_meters, read_meter_file, save_meters

    words = Words()
    with ledger_session(db) as session:
        if file is not None:
            count = save_meters(session, read_meter_file(file), actor=author_name(author))
            console.print(words("cli.monitor.meters_saved", count=count))
        heads = ("meter", "entity", "carrier", "unit", "reading", "main_meter", "feeds")
        table = Table(*(words(f"cli.monitor.{head}") for head in heads))
        for m in load_meters(session).values():
            table.add_row(m.code, m.entity, m.carrier, m.unit, m.reading, m.parent or "",
                          m.indicator or "")  # fmt: skip
    print_table(table)


@app.command("rules")
def rules_command(
    file: Annotated[Path, typer.Argument(help="YAML list of early-warning rules")],
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Load early-warning rules (all or none)."""
    from esgledger.monitoring.rules import read_rule_file, save_rules

    with ledger_session(db) as session:
        count = save_rules(session, read_rule_file(file), actor=author_name(author))
    console.print(Words()("cli.monitor.rules_saved", count=count))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV with columns meter, at, value")],
    db: DbOption = None,
) -> None:
    """Take readings from a CSV file; bad rows go to the dead letters, the rest is stored."""
    from esgledger.monitoring.ingest import ingest_csv

    with ledger_session(db) as session:
        outcome = ingest_csv(session, file)
    w = outcome.written
    console.print(
        Words()(
            "cli.monitor.imported",
            inserted=w.inserted,
            corrected=w.corrected,
            repeated=w.repeated,
            refused=outcome.dead_letters,
        )
    )


@app.command("listen")
def listen_command(
    host: HostOption = "127.0.0.1",
    port: PortOption = 1883,
    topic: TopicOption = "esgledger/readings/#",
    client_id: Annotated[str, typer.Option("--client-id", help="MQTT session name")] = (
        "esgledger-monitor"
    ),
    seconds: Annotated[
        float, typer.Option("--seconds", help="Stop after this long (0: run until Ctrl-C)")
    ] = 0,
    db: DbOption = None,
) -> None:
    """Take readings over MQTT (QoS 1, persistent session) and run the checks on each batch."""
    from esgledger.monitoring.listen import Listener

    listener = Listener(ledger_database(db), tz=_tz(), host=host, port=port,
                        client_id=client_id, topic=topic)  # fmt: skip
    stop = threading.Event()
    listener.start()
    worker = threading.Thread(target=listener.run, args=(stop,), daemon=True)
    worker.start()
    words = Words()
    console.print(words("cli.monitor.listening", host=host, port=port, topic=topic))
    started = time.monotonic()
    try:
        while not seconds or time.monotonic() - started < seconds:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop.set()
    worker.join(30)
    listener.stop()
    s = listener.stats
    console.print(words("cli.monitor.listened", messages=s.messages, readings=s.readings,
                        refused=s.dead_letters, alerts=len(s.alerts)))  # fmt: skip


@app.command("simulate")
def simulate_command(
    month: Annotated[str, typer.Option("--month", help="Month of the feed")] = "2024-12",
    entity: Annotated[str, typer.Option("--entity", help="Entity whose meters send")] = "SMELT",
    spike: Annotated[float, typer.Option("--spike", help="Sub-meter load on the last day")] = 4.0,
    host: HostOption = "127.0.0.1",
    port: PortOption = 1883,
    topic: Annotated[str, typer.Option("--topic")] = "esgledger/readings/simulated",
    db: DbOption = None,
) -> None:
    """Publish a simulated plant feed for a month over MQTT (its total = the ledger's)."""
    from esgledger.catalog import load_catalog
    from esgledger.monitoring.simulate import plan_feed, publish

    with ledger_session(db) as session:
        messages = plan_feed(session, load_catalog(), month, _tz(), entity, spike)
    sent = sum(1 for _ in publish(messages, host=host, port=port, topic=topic))
    console.print(Words()("cli.monitor.published", sent=sent, topic=topic))


@app.command("rollup")
def rollup_command(
    month: Annotated[str, typer.Argument(help="Month to roll up, e.g. 2024-12")],
    write: Annotated[bool, typer.Option("--write", help="Write the totals as drafts")] = False,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Sum the month's readings per entity and indicator; --write makes them draft values."""
    from esgledger.catalog import load_catalog
    from esgledger.monitoring.rollup import month_rollup, roll_up

    catalog = load_catalog()
    with ledger_session(db) as session:
        if write:
            rolled = roll_up(session, month, actor=author_name(author), catalog=catalog, tz=_tz())
        else:
            rolled = month_rollup(session, month, _tz(), catalog)
    words = Words()
    heads = ("entity", "indicator", "month", "value", "unit", "readings", "missing")
    table = Table(*(words(f"cli.monitor.{head}") for head in heads))
    for r in rolled:
        table.add_row(r.entity, r.indicator, r.period, f"{r.value:,.3f}", words.unit(r.unit),
                      str(r.readings), str(r.missing))  # fmt: skip
    print_table(table)


@app.command("reconcile")
def reconcile_command(
    month: Annotated[str, typer.Argument(help="Month, e.g. 2024-12")], db: DbOption = None
) -> None:
    """The month's rollup beside the ledger's value and the invoice; differences flagged."""
    from esgledger.catalog import load_catalog
    from esgledger.monitoring.reconcile import reconcile

    with ledger_session(db) as session:
        rows = reconcile(session, month, _tz(), load_catalog())
    words = Words()
    heads = ("entity", "indicator", "rollup", "ledger", "diff", "invoice", "diff", "flag")
    table = Table(*(words(f"cli.monitor.{head}") for head in heads))
    check, ok = words("cli.monitor.check"), words("cli.monitor.ok")
    for r in rows:
        table.add_row(r.entity, r.indicator, f"{r.rollup:,.3f}", _num(r.ledger),
                      _pct(r.ledger_difference), _num(r.invoice), _pct(r.invoice_difference),
                      f"[red]{check}[/red]" if r.flagged else ok)  # fmt: skip
    print_table(table)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:,.3f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.2%}"


@app.command("check")
def check_command(
    day: Annotated[str, typer.Argument(help="Local day, e.g. 2024-12-31")], db: DbOption = None
) -> None:
    """Run the early-warning rules for a day and open alerts for what they find."""
    from esgledger.monitoring.checks import check_day

    with ledger_session(db) as session:
        opened = check_day(session, date.fromisoformat(day), _tz())
    opened_line = Words()("cli.monitor.opened", count=len(opened))
    console.print(opened_line + "".join(f"\n  {k}" for k in opened))


@app.command("alerts")
def alerts_command(db: DbOption = None) -> None:
    """Alerts not yet resolved."""
    from esgledger.monitoring.alerts import alert_text, open_alerts

    with ledger_session(db) as session:
        alerts = open_alerts(session)
    lang = message_language()
    words = Words(lang)
    table = Table(
        *(words(f"cli.monitor.{head}") for head in ("alert", "status", "entity", "message"))
    )
    for a in alerts:
        text = escape(alert_text(a.payload, lang))
        status = words.known(f"cli.alert_status.{a.payload['status']}") or a.payload["status"]
        table.add_row(a.key, status, a.entity or "", text)
    print_table(table)


@app.command("ack")
def ack_command(key: str, author: AuthorOption = None, db: DbOption = None) -> None:
    """Acknowledge an alert: someone is on it."""
    from esgledger.monitoring.alerts import acknowledge

    with ledger_session(db) as session:
        acknowledge(session, key, actor=author_name(author))
    console.print(Words()("cli.monitor.acknowledged", key=key))


@app.command("resolve")
def resolve_command(
    key: str,
    cause: Annotated[str, typer.Option("--cause", help="What caused it")],
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Resolve an alert with its cause."""
    from esgledger.monitoring.alerts import resolve

    with ledger_session(db) as session:
        resolve(session, key, actor=author_name(author), cause=cause)
    console.print(Words()("cli.monitor.resolved", key=key))


@app.command("dead-letters")
def dead_letters_command(db: DbOption = None) -> None:
    """Messages refused, newest first, with the reason."""
    from esgledger.ledger.reads.readings import dead_letters

    words = Words()
    heads = ("received", "source", "meter", "reason", "message")
    table = Table(*(words(f"cli.monitor.{head}") for head in heads))
    with ledger_session(db) as session:
        for d in dead_letters(session):
            table.add_row(f"{d.received_at:%Y-%m-%d %H:%M:%S}", d.source, d.meter or "",
                          escape(d.reason), escape(d.payload[:80]))  # fmt: skip
    print_table(table)
