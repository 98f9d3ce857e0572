"""`esgledger pact`: publish footprints, manage the host's clients, serve over TLS, fetch
suppliers' footprints and answer customers' requests (PACT Technical Specifications v3)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from esgledger.products.footprint import ComputedFootprint

app = typer.Typer(
    help="PACT v3 product footprint exchange (host and client).", no_args_is_help=True
)
client_app = typer.Typer(help="The host's OAuth2 clients (data recipients).", no_args_is_help=True)
app.add_typer(client_app, name="client")

IdOption = Annotated[
    str,
    typer.Option(
        "--client-id", envvar="ESGLEDGER_PACT_CLIENT_ID", help="Client id issued by the other host"
    ),
]
SecretOption = Annotated[
    str,
    typer.Option(
        "--client-secret",
        envvar="ESGLEDGER_PACT_CLIENT_SECRET",
        help="Client secret issued by the other host",
    ),
]
CaOption = Annotated[
    Path | None, typer.Option("--ca-file", help="Trust this CA bundle (PEM) for the host")
]


@client_app.command("add")
def client_add(
    name: str,
    entity: Annotated[
        list[str] | None,
        typer.Option("--entity", help="Only these entities' footprints (repeatable)"),
    ] = None,
    events_url: Annotated[
        str | None,
        typer.Option(help="The recipient's own PACT base URL, where answers to its requests go"),
    ] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Create a client; its id and secret are shown once and kept only hashed."""
    from esgledger.cli.names import check_entities
    from esgledger.pact.clients import add_client

    with ledger_session(db) as session:
        check_entities(session, entity)
        made = add_client(
            session, name, actor=author_name(author), entities=entity, events_url=events_url
        )
    words = Words()
    console.print(words("cli.pact.client", client_id=made.client_id, secret=made.client_secret))
    console.print(words("cli.pact.give"))


@app.command("publish")
def publish_cmd(
    file: Annotated[Path, typer.Argument(help="YAML list of ComputedFootprint fields")],
    company_name: Annotated[str, typer.Option(help="Legal name of the data owner")],
    domain: Annotated[str, typer.Option(help="Domain the company and product URNs use")],
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Publish computed footprints; a new calculation deprecates the one it replaces."""
    from esgledger.pact.footprint_file import read_footprints

    footprints = read_footprints(file)
    with ledger_session(db) as session:
        publish_and_report(session, footprints, company_name, domain, author)


def publish_and_report(
    session: Session,
    footprints: list[ComputedFootprint],
    company_name: str,
    domain: str,
    author: str | None,
) -> None:
    """Publish ``footprints`` (``ComputedFootprint``) and print each new one and the counts:
    the one way `pact publish` and `footprint publish` do it."""
    from esgledger.pact.payload import Publisher
    from esgledger.pact.store import publish

    written = publish(
        session, footprints, Publisher(company_name, domain), actor=author_name(author)
    )
    words = Words()
    for payload in written:
        pcf = payload["pcf"]
        console.print(
            words(
                "cli.pact.published_line",
                id=payload["id"],
                product=escape(payload["productNameCompany"]),
                value=pcf["pcfExcludingBiogenicUptake"],
                unit=pcf["declaredUnitOfMeasurement"],
            )
        )
    unchanged = len(footprints) - len(written)
    console.print(words("cli.pact.published", written=len(written), unchanged=unchanged))


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="XLSX file to write")],
    db: DbOption = None,
) -> None:
    """Write published footprints, suppliers' footprints and requests to one XLSX file."""
    from esgledger.pact.export import write_workbook

    with ledger_session(db) as session:
        counts = write_workbook(session, out)
    words = Words()
    shown = ", ".join(words("cli.pact.sheet", count=n, sheet=sheet) for sheet, n in counts.items())
    console.print(words("cli.pact.exported", counts=shown, out=out))


@app.command("serve")
def serve(
    cert: Annotated[Path, typer.Option(help="TLS certificate chain (PEM)")],
    key: Annotated[Path, typer.Option(help="TLS private key (PEM)")],
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8443,
    db: DbOption = None,
) -> None:
    """Serve the PACT host over HTTPS (/auth/token, /3/footprints, /3/events)."""
    import uvicorn

    from esgledger.cli.common import ledger_database
    from esgledger.pact.host import create_pact_app

    app_ = create_pact_app(ledger_database(db))
    console.print(Words()("cli.pact.host", host=host, port=port))
    uvicorn.run(
        app_,
        host=host,
        port=port,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="warning",
    )


@app.command("fetch")
def fetch(
    base_url: str,
    client_id: IdOption,
    client_secret: SecretOption,
    ca_file: CaOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Record every footprint a supplier's host lists (register products.supplier_footprints)."""
    from esgledger.pact.exchange import fetch as fetch_all
    from esgledger.pact.remote import RemoteHost

    verify = _verify(ca_file)
    with (
        RemoteHost(base_url, client_id, client_secret, verify=verify) as remote,
        ledger_session(db) as session,
    ):
        listed, recorded = fetch_all(session, remote, actor=author_name(author))
    console.print(Words()("cli.pact.pulled", listed=listed, url=base_url, recorded=recorded))


@app.command("receive")
def receive(
    file: Annotated[
        Path, typer.Argument(help="A supplier's PACT JSON: {data: [...]}, a list or one")
    ],
    source: Annotated[
        str | None, typer.Option(help="Where it came from (default: the file's name)")
    ] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Record the footprints of a file a supplier sent, as `pact fetch` records a host's."""
    from esgledger.pact.received import receive_file

    with ledger_session(db) as session:
        recorded = receive_file(session, file, actor=author_name(author), source=source)
    console.print(Words()("cli.pact.recorded", recorded=recorded, file=escape(file.name)))


@app.command("request")
def request_cmd(
    base_url: str,
    client_id: IdOption,
    client_secret: SecretOption,
    own_url: Annotated[str, typer.Option(help="This host's base URL, where the answer goes")],
    product_id: Annotated[
        list[str] | None, typer.Option("--product-id", help="Product URN (repeatable)")
    ] = None,
    geography: Annotated[list[str] | None, typer.Option(help="Country or region")] = None,
    ca_file: CaOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Ask a supplier for footprints (RequestCreated); its answer arrives at /3/events."""
    from esgledger.pact.exchange import request
    from esgledger.pact.remote import RemoteHost

    criteria = {
        name: values
        for name, values in (("productId", product_id), ("geography", geography))
        if values
    }
    with (
        RemoteHost(base_url, client_id, client_secret, verify=_verify(ca_file)) as remote,
        ledger_session(db) as session,
    ):
        sent = request(session, remote, own_url, criteria, actor=author_name(author))
    console.print(Words()("cli.pact.sent", sent=sent, url=base_url))


@app.command("notify")
def notify_cmd(
    base_url: str,
    client_id: IdOption,
    client_secret: SecretOption,
    source: Annotated[str, typer.Option(help="This host's own base URL, as the event source")],
    footprint_id: Annotated[
        list[str] | None, typer.Option("--id", help="Footprint id, repeatable (default: Active)")
    ] = None,
    ca_file: CaOption = None,
    db: DbOption = None,
) -> None:
    """Send a customer a PublishedEvent naming new footprints (it then gets each one)."""
    from esgledger.pact.exchange import notify
    from esgledger.pact.remote import RemoteHost

    with (
        RemoteHost(base_url, client_id, client_secret, verify=_verify(ca_file)) as remote,
        ledger_session(db) as session,
    ):
        sent = notify(session, remote, source, footprint_id)
    console.print(Words()("cli.pact.announced", count=len(sent), url=base_url))


@app.command("requests")
def requests_list(db: DbOption = None) -> None:
    """Customers' footprint requests received by the events endpoint."""
    from esgledger.pact.events import all_requests

    words = Words()
    heads = ("key", "client_name", "received", "criteria", "status")
    table = Table(*(words(f"cli.pact.{head}") for head in heads))
    with ledger_session(db) as session:
        for record in all_requests(session):
            event = record.payload["event"]
            table.add_row(
                record.key,
                record.payload["client_name"],
                event["time"],
                str(event["data"]),
                record.payload["status"],
            )
    console.print(table)


@app.command("fulfil")
def fulfil(
    key: str,
    client_id: IdOption,
    client_secret: SecretOption,
    source: Annotated[str, typer.Option(help="This host's own base URL, as the event source")],
    ca_file: CaOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Answer a pending request at the customer's events endpoint (fulfilled or rejected)."""
    from esgledger.pact.exchange import answer_request, reply_address
    from esgledger.pact.remote import RemoteHost

    with ledger_session(db) as session:
        target = reply_address(session, key)
        with RemoteHost(target, client_id, client_secret, verify=_verify(ca_file)) as remote:
            status = answer_request(session, key, remote, source, actor=author_name(author))
    console.print(Words()("cli.pact.answered", key=key, status=status))


def _verify(ca_file: Path | None) -> object:
    if ca_file is None:
        return True
    import ssl

    return ssl.create_default_context(cafile=str(ca_file))
