"""`esgledger demo`: build the demo group's ledger and print what it holds."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

if TYPE_CHECKING:  # loaded by the commands that run, not for --help
    from esgledger.calc.published import Reproduction
    from esgledger.calc.service import CalculationRun
    from esgledger.catalog.registry import Catalog
    from esgledger.demo.products import DemoPact

from esgledger.cli.common import console
from esgledger.engine.method_names import DEFAULT_METHOD_SET
from esgledger.errors import EsgError

HEADLINE_TOPICS = ("energy", "water", "waste", "training", "safety", "rd", "people", "hr")


def register(app: typer.Typer) -> None:
    app.command(name="demo")(demo)


def demo(
    db: Annotated[
        str, typer.Option("--db", help="Where to build the demo ledger (recreated)")
    ] = "sqlite:///esgledger-demo.db",
    out: Annotated[Path, typer.Option(help="Folder for the demo's input files")] = Path("demo"),
    details: Annotated[
        bool,
        typer.Option(
            "--details", help="List every published figure: reproduced, differs or why not"
        ),
    ] = False,
) -> None:
    """Build a fresh demo ledger for a rare-earth group (2022-2024) and print a summary.

    It then holds the engine's results against the figures the reference report publishes
    (published_figures.csv) and prints how many it reproduces; --details lists each one.
    """
    from esgledger.catalog import load_catalog
    from esgledger.cli.calc_cmd import group_table
    from esgledger.demo.build import DEMO_ROOT, build_demo
    from esgledger.demo.generate import factor_file
    from esgledger.demo.reproduce import import_round_trip, reproduce_demo
    from esgledger.ledger.blobs import blob_store
    from esgledger.ledger.database import open_database
    from esgledger.settings import load_settings

    _remove_sqlite_file(db)
    out.mkdir(parents=True, exist_ok=True)
    database = open_database(db)
    catalog = load_catalog()
    result = build_demo(database, out, catalog, blob_store(load_settings(db=db)))
    for item in result.imports:
        console.print(f"imported {out / item.file}: {item.new_revisions} revision(s)")
    round_trip = import_round_trip(database, catalog, DEMO_ROOT)
    database.dispose()
    lost = [f"{r.indicator} {r.year}" for r in round_trip if not r.equal]
    console.print(
        f"Import round trip: {len(round_trip) - len(lost)} of {len(round_trip)} group totals "
        "the demo files were split from add up again in the ledger"
        + (f"; not: {', '.join(lost)}" if lost else "")
    )
    console.print(
        f"{result.entities} entities, {result.observations} approved observations; "
        f"2022 and 2023 locked; snapshot {result.snapshot_id} sha256 {result.snapshot_hash}"
    )
    if result.campaign is not None:
        console.print(result.campaign.line())
    if result.sampled:
        console.print(
            f"Assurance engagement 2024 (ISAE 3410, limited) in fieldwork: {result.sampled} "
            "values sampled, one query answered, one finding (log in as auditor, /assurance)"
        )
    run = _calculate(db, out / factor_file().name)
    console.print(group_table(run))
    reproductions = reproduce_demo(run.results[0], catalog)
    _show_reproduction(reproductions, catalog, details)
    console.print(
        f"Next: esgledger calc --db {db} --factors {out / factor_file().name}\n"
        f"      esgledger explain ghg.scope2_location --entity group --period 2024 --db {db} "
        f"--factors {out / factor_file().name}"
    )
    _show_accounts(db, out / factor_file().name, result.accounts)
    if result.pact is not None:
        _show_pact(db, out, result.pact)


def _show_reproduction(reproductions: list[Reproduction], catalog: Catalog, details: bool) -> None:
    """The headline figures, then the summary line; every figure with ``--details``."""
    from esgledger.calc.published import Status, summary
    from esgledger.cli.published_view import reproduction_table
    from esgledger.demo.reproduce import FIGURES_FILE

    headline = [r for r in reproductions if r.figure.indicator.split(".")[0] in HEADLINE_TOPICS]
    console.print(_headline_table(headline, catalog))
    if details:
        console.print(reproduction_table(reproductions, catalog))
    console.print(
        f"{summary(reproductions)} (engine results of the demo ledger against "
        f"{FIGURES_FILE.name}, within each figure's printed precision)"
    )
    others = [r for r in reproductions if r.status is not Status.REPRODUCED]
    if others and not details:
        console.print(
            "Not reproduced: "
            + "; ".join(
                f"{r.figure.indicator or r.figure.printed} {r.figure.period}" for r in others
            )
            + "\n(esgledger demo --details lists every figure with its place in the report)"
        )


def _show_accounts(db: str, factors: Path, accounts: list[dict[str, Any]]) -> None:
    table = Table(title="Demo accounts for the web application")
    for column in ("user", "password", "role", "entities"):
        table.add_column(column)
    for account in accounts:
        table.add_row(
            account["username"],
            account["password"],
            account["role"],
            ", ".join(account.get("entities", [])) or "all",
        )
    console.print(table)
    data = Path(str(files("esgledger.demo"))) / "data"  # the demo's own commitments
    console.print(
        f"Start the server: esgledger serve --db {db} --factors {factors} "
        f"--targets {data / 'targets.yaml'} --scenarios {data / 'scenarios'} "
        f"--products {data / 'products'}"
        "  → http://127.0.0.1:8000/"
    )


def _show_pact(db: str, out: Path, pact: DemoPact) -> None:
    """The footprints the demo published and how a customer pulls them (HTTPS only)."""
    table = Table(title=f"Product footprints {pact.year} on the PACT v3 host")
    for column in ("id", "product", "kg CO2e per kg"):
        table.add_column(column, no_wrap=column != "product")
    for payload in pact.published:
        table.add_row(
            payload["id"],
            payload["productNameCompany"],
            payload["pcf"]["pcfExcludingBiogenicUptake"],
        )
    console.print(table)
    cert, key = out / "pact-cert.pem", out / "pact-key.pem"
    who = f"{pact.credentials.client_id}:{pact.credentials.client_secret}"
    lines = [
        f"PACT customer '{pact.customer}': client id {pact.credentials.client_id}, "
        f"client secret {pact.credentials.client_secret}",
        "Serve the PACT host over HTTPS (a self-signed certificate for this machine):",
        "  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost "
        f'-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout {key} -out {cert}',
        f"  esgledger pact serve --db {db} --cert {cert} --key {key}",
        "Pull as the customer (docs/user-guide.md, Pulling the demo's footprints over PACT):",
        f"  curl --cacert {cert} -u {who} -d grant_type=client_credentials "
        "https://127.0.0.1:8443/auth/token",
        f'  curl --cacert {cert} -H "Authorization: Bearer ACCESS_TOKEN" '
        '"https://127.0.0.1:8443/3/footprints?limit=2"',
    ]
    console.print("\n".join(lines), markup=False, soft_wrap=True)


def _calculate(db: str, factors: Path) -> CalculationRun:
    """The demo group's results under the default method set, as `esgledger calc` has them."""
    from esgledger.calc.service import run_calculation
    from esgledger.catalog import load_catalog
    from esgledger.demo.build import MANAGER
    from esgledger.engine.methodset import get_method_sets
    from esgledger.ledger.database import open_database, unit_of_work

    database = open_database(db)
    try:
        with unit_of_work(database) as session:
            return run_calculation(
                session,
                load_catalog(),
                get_method_sets(DEFAULT_METHOD_SET),
                author=MANAGER,
                factor_files=[factors],
            )
    finally:
        database.dispose()


def _headline_table(headline: list[Reproduction], catalog: Catalog) -> Table:
    from esgledger.calc.published import Status

    table = Table(title="The engine's group results against the reference report (headline)")
    table.add_column("indicator", no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column("unit", no_wrap=True)
    for column in ("2022", "2023", "2024", "reproduced"):
        table.add_column(column, justify="right", no_wrap=True)
    rows: dict[tuple[str, str], dict[str, Reproduction]] = {}
    for item in headline:
        if item.figure.scope == "group":
            rows.setdefault((item.figure.indicator, item.figure.unit), {})[item.figure.period] = (
                item
            )
    for (indicator, unit), years in rows.items():
        cells = [_engine_cell(years[y]) if y in years else "/" for y in ("2022", "2023", "2024")]
        ok = all(item.status is Status.REPRODUCED for item in years.values())
        table.add_row(
            catalog.get(indicator).name("en"), unit, *cells, "[green]yes[/]" if ok else "[red]no[/]"
        )
    return table


def _engine_cell(item: Reproduction) -> str:
    if item.engine is None:
        return "—"
    return f"{item.engine:,.{_decimals(item.figure.value)}f}"


def _decimals(figure: Decimal) -> int:
    return max(0, -figure.as_tuple().exponent)


def _remove_sqlite_file(url: str) -> None:
    """The demo always starts from an empty ledger; only a SQLite file is ever removed."""
    if not url.startswith("sqlite:///"):
        raise EsgError.coded("command.demo_not_sqlite", backend=url.partition(":")[0])
    path = Path(url.removeprefix("sqlite:///"))
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
