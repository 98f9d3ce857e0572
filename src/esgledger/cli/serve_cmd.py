"""`esgledger serve`: the multi-user web application and REST API (accounts: user_cmd)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from esgledger.cli.common import DbOption, console, require_sqlite_file


def register(main: typer.Typer) -> None:
    main.command(name="serve")(serve)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    factors: Annotated[
        list[Path] | None, typer.Option("--factors", help="User factor file (repeatable)")
    ] = None,
    insecure_cookies: Annotated[
        bool, typer.Option(help="Allow session cookies over plain HTTP on a non-local address")
    ] = False,
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Targets YAML (sets ESGLEDGER_TARGETS)")
    ] = None,
    scenarios: Annotated[
        Path | None,
        typer.Option("--scenarios", help="Folder of scenario YAML files (ESGLEDGER_SCENARIOS)"),
    ] = None,
) -> None:
    """Start the web application and REST API (open http://HOST:PORT/, API docs at /docs)."""
    import uvicorn  # the server stack is loaded only by the command that runs it

    from esgledger.api.settings import SCENARIOS_ENV, TARGETS_ENV
    from esgledger.cli.listen import listening_socket
    from esgledger.ledger.database import database_url

    url = database_url(db)
    require_sqlite_file(url)  # refused here, before a worker would create the file
    os.environ["ESGLEDGER_DB"] = url
    if factors:
        os.environ["ESGLEDGER_FACTOR_FILES"] = json.dumps([str(p.resolve()) for p in factors])
    if insecure_cookies:
        os.environ["ESGLEDGER_SECURE_COOKIES"] = "false"
    # no targets or scenarios unless given: the pages then say none is configured
    if targets:
        os.environ[TARGETS_ENV] = str(targets.resolve())
    if scenarios:
        os.environ[SCENARIOS_ENV] = str(scenarios.resolve())
    where = {"host": host, "port": port}
    if workers > 1:  # uvicorn's own socket would leave Nagle's algorithm on (cli/listen.py)
        sock = listening_socket(host, port)
        where = {"fd": sock.fileno()}
    console.print(f"esgledger on http://{host}:{port}/  (ledger {os.environ['ESGLEDGER_DB']})")
    uvicorn.run(
        "esgledger.web.app:create_app",
        factory=True,
        workers=workers,
        log_level="warning",
        **where,
    )
