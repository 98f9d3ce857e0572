"""`esgledger serve` and `esgledger user`: the multi-user server and its accounts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from esgledger.auth.roles import Role
from esgledger.cli.common import (
    AuthorOption,
    DbOption,
    author_name,
    console,
    ledger_session,
    require_sqlite_file,
)

app = typer.Typer(help="Accounts of the web application and API.", no_args_is_help=True)
RoleOption = Annotated[Role, typer.Option(help="admin, group-manager, reporter or auditor")]
EntitiesOption = Annotated[
    list[str] | None, typer.Option("--entity", "-e", help="Entity a reporter works on (repeatable)")
]


def register(main: typer.Typer) -> None:
    main.command(name="serve")(serve)
    main.add_typer(app, name="user")


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
) -> None:
    """Start the web application and REST API (open http://HOST:PORT/, API docs at /docs)."""
    import uvicorn  # the server stack is loaded only by the command that runs it

    from esgledger.cli.listen import listening_socket
    from esgledger.ledger.database import database_url

    url = database_url(db)
    require_sqlite_file(url)  # refused here, before a worker would create the file
    os.environ["ESGLEDGER_DB"] = url
    if factors:
        os.environ["ESGLEDGER_FACTOR_FILES"] = json.dumps([str(p.resolve()) for p in factors])
    if insecure_cookies:
        os.environ["ESGLEDGER_SECURE_COOKIES"] = "false"
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


@app.command("add")
def add(
    username: Annotated[str, typer.Argument()],
    role: RoleOption,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    entity: EntitiesOption = None,
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Add an account (a reporter needs at least one --entity)."""
    from esgledger.auth.service import add_user

    with ledger_session(db) as session:
        add_user(session, author_name(author), username, password, role, name, entity or [])
    console.print(f"user {username} added as {role.value}")


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List accounts with their role and entities."""
    from esgledger.auth.service import list_users

    with ledger_session(db) as session:
        rows = list_users(session)
    table = Table("user", "name", "role", "entities", "active")
    for user, entities in rows:
        table.add_row(
            user.username,
            user.display_name,
            user.role,
            ", ".join(entities) or "all",
            "yes" if user.active else "no",
        )
    console.print(table)


@app.command("grant")
def grant_(
    username: Annotated[str, typer.Argument()],
    role: Annotated[Role | None, typer.Option(help="New role")] = None,
    entity: EntitiesOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Change a user's role and/or the entities a reporter works on."""
    from esgledger.auth.service import grant

    with ledger_session(db) as session:
        user = grant(session, author_name(author), username, role=role, entities=entity)
    console.print(f"user {username}: role {user.role}")


@app.command("token")
def token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for")] = "script",
    db: DbOption = None,
) -> None:
    """Create an API token for a user (printed once)."""
    from esgledger.auth.service import create_api_token, get_user

    with ledger_session(db) as session:
        secret = create_api_token(session, get_user(session, username), name)
    console.print(secret)
