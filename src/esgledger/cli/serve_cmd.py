"""`esgledger serve`: the multi-user web application and REST API (accounts: user_cmd)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from esgledger.cli.common import DbOption, console, require_sqlite_file
from esgledger.cli.extras import require_extra
from esgledger.cli.words import Words

if TYPE_CHECKING:
    from fastapi import FastAPI

    from esgledger.settings import Settings


@dataclass(frozen=True)
class Application:
    """The factory each server process calls to build its application from ``settings``.

    With several workers it is pickled into each worker process, and unpickled there before
    the worker answers uvicorn's health checks: it must not import the web stack itself
    (that takes seconds on a busy machine), only when the worker's server starts.
    """

    settings: Settings

    def __call__(self) -> FastAPI:
        from esgledger.web.app import create_app

        return create_app(self.settings)


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
        Path | None, typer.Option("--targets", help="Targets YAML (default: $ESGLEDGER_TARGETS)")
    ] = None,
    scenarios: Annotated[
        Path | None,
        typer.Option(
            "--scenarios", help="Folder of scenario YAML files (default: $ESGLEDGER_SCENARIOS)"
        ),
    ] = None,
    products: Annotated[
        Path | None,
        typer.Option(
            "--products", help="Folder of product-system YAML files (default: $ESGLEDGER_PRODUCTS)"
        ),
    ] = None,
) -> None:
    """Start the web application and REST API (open http://HOST:PORT/, API docs at /docs)."""
    require_extra("web", "esgledger serve")
    import uvicorn  # the server stack is loaded only by the command that runs it

    from esgledger.cli.listen import listening_socket

    settings = server_settings(db, factors, insecure_cookies, targets, scenarios, products)
    require_sqlite_file(settings.db)  # refused here, before a worker would create the file
    config = uvicorn.Config(
        Application(settings), factory=True, workers=workers, log_level="warning"
    )
    console.print(Words()("cli.serve.running", host=host, port=port, db=settings.db))
    if workers == 1:
        uvicorn.Server(config).run(sockets=[listening_socket(host, port)])
        return
    from uvicorn.supervisors import Multiprocess

    # uvicorn's own socket would leave Nagle's algorithm on (cli/listen.py)
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


def server_settings(
    db: str | None,
    factors: list[Path] | None,
    insecure_cookies: bool,
    targets: Path | None,
    scenarios: Path | None,
    products: Path | None = None,
) -> Settings:
    """The server's settings: the environment's, with each option given on top of it."""
    from esgledger.settings import load_settings

    given = {
        "db": db,
        "factor_files": [str(p.resolve()) for p in factors] if factors else None,
        "secure_cookies": False if insecure_cookies else None,
        # no targets or scenarios unless given or set: the pages then say none is configured
        "targets": targets.resolve() if targets else None,
        "scenarios": scenarios.resolve() if scenarios else None,
        "products": products.resolve() if products else None,
    }
    return load_settings(**{name: value for name, value in given.items() if value is not None})
