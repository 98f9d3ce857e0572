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
from esgledger.cli.words import Words
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
    words = Words()
    for item in result.imports:
        path, count = out / item.file, item.new_revisions
        console.print(words("cli.demo.imported", path=path, count=count))
    round_trip = import_round_trip(database, catalog, DEMO_ROOT)
    database.dispose()
    lost = [f"{r.indicator} {r.year}" for r in round_trip if not r.equal]
    console.print(
        words(
            "cli.demo.round_trip",
            equal=len(round_trip) - len(lost),
            total=len(round_trip),
            lost=words("cli.demo.round_trip_lost", lost=", ".join(lost)) if lost else "",
        )
    )
    console.print(
        words(
            "cli.demo.ledger",
            entities=result.entities,
            observations=result.observations,
            id=result.snapshot_id,
            sha256=result.snapshot_hash,
        )
    )
    if (campaign := result.campaign) is not None:
        console.print(words("cli.demo.campaign", **{**vars(campaign), "due": campaign.due}))
    if result.sampled:
        console.print(words("cli.demo.assurance", sampled=result.sampled))
    run = _calculate(db, out / factor_file().name)
    console.print(group_table(run))
    reproductions = reproduce_demo(run.results[0], catalog)
    _show_reproduction(reproductions, catalog, details)
    factors = out / factor_file().name
    console.print(
        words(
            "cli.demo.next",
            calc=f"esgledger calc --db {db} --factors {factors}",
            explain=f"esgledger explain ghg.scope2_location --entity group --period 2024 "
            f"--db {db} --factors {factors}",
        )
    )
    _show_accounts(db, out / factor_file().name, result.accounts)
    if result.pact is not None:
        _show_pact(db, out, result.pact)


def _show_reproduction(reproductions: list[Reproduction], catalog: Catalog, details: bool) -> None:
    """The headline figures, then the summary line; every figure with ``--details``."""
    from esgledger.calc.published import Status
    from esgledger.cli.published_view import reproduction_table
    from esgledger.demo.reproduce import FIGURES_FILE

    words = Words()
    headline = [r for r in reproductions if r.figure.indicator.split(".")[0] in HEADLINE_TOPICS]
    console.print(_headline_table(headline, catalog))
    if details:
        console.print(reproduction_table(reproductions, catalog))
    console.print(
        words("cli.demo.against", summary=_summary(reproductions, words), file=FIGURES_FILE.name)
    )
    others = [r for r in reproductions if r.status is not Status.REPRODUCED]
    if others and not details:
        figures = words("list.semicolon").join(
            f"{r.figure.indicator or r.figure.printed} {r.figure.period}" for r in others
        )
        console.print(words("cli.demo.not_reproduced", figures=figures))


def _summary(reproductions: list[Reproduction], words: Words) -> str:
    """How many published figures the engine reproduces, and what the others are."""
    from esgledger.calc.published import Status

    count = {status: 0 for status in Status}
    for item in reproductions:
        count[item.status] += 1
    rest = words("list.comma").join(
        words(code, count=count[status])
        for status, code in (
            (Status.DIFFERS, "cli.demo.differs"),
            (Status.NOT_COMPUTED, "cli.demo.not_computed"),
        )
        if count[status]
    )
    return words(
        "cli.demo.summary",
        reproduced=count[Status.REPRODUCED],
        total=len(reproductions),
        rest=words("cli.demo.summary_rest", rest=rest) if rest else "",
    )


def _show_accounts(db: str, factors: Path, accounts: list[dict[str, Any]]) -> None:
    words = Words()
    table = Table(title=words("cli.demo.accounts_title"))
    for column in ("user", "password", "role", "entities"):
        table.add_column(words(f"cli.demo.{column}"))
    for account in accounts:
        table.add_row(
            account["username"],
            account["password"],
            words(f"user_role.{account['role']}"),
            ", ".join(account.get("entities", [])) or words("cli.demo.all"),
        )
    console.print(table)
    data = Path(str(files("esgledger.demo"))) / "data"  # the demo's own commitments
    command = (
        f"esgledger serve --db {db} --factors {factors} "
        f"--targets {data / 'targets.yaml'} --scenarios {data / 'scenarios'} "
        f"--products {data / 'products'}"
    )
    console.print(words("cli.demo.serve", command=command))


def _show_pact(db: str, out: Path, pact: DemoPact) -> None:
    """The footprints the demo published and how a customer pulls them (HTTPS only)."""
    words = Words()
    table = Table(title=words("cli.demo.pact_title", year=pact.year))
    for column in ("id", "product", "per_kg"):
        table.add_column(words(f"cli.demo.{column}"), no_wrap=column != "product")
    for payload in pact.published:
        table.add_row(
            payload["id"],
            pact.names[payload["id"]][words.lang],
            payload["pcf"]["pcfExcludingBiogenicUptake"],
        )
    console.print(table)
    cert, key = out / "pact-cert.pem", out / "pact-key.pem"
    who = f"{pact.credentials.client_id}:{pact.credentials.client_secret}"
    customer = words(
        "cli.demo.pact_customer",
        customer=pact.customer,
        client_id=pact.credentials.client_id,
        secret=pact.credentials.client_secret,
    )
    lines = [
        customer,
        words("cli.demo.pact_serve"),
        "  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost "
        f'-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout {key} -out {cert}',
        f"  esgledger pact serve --db {db} --cert {cert} --key {key}",
        words("cli.demo.pact_pull"),
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

    words = Words()
    table = Table(title=words("cli.demo.headline_title"))
    table.add_column(words("cli.calc.indicator"), no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column(words("cli.calc.unit"), no_wrap=True)
    for column in ("2022", "2023", "2024", words("cli.demo.reproduced")):
        table.add_column(column, justify="right", no_wrap=True)
    yes, no = words("cli.demo.yes"), words("cli.demo.no")
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
            words.name(catalog.get(indicator)),
            words.unit(unit, indicator),
            *cells,
            f"[green]{yes}[/]" if ok else f"[red]{no}[/]",
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
