"""`esgledger user`: accounts of the web application and API, from the server's shell.

Whoever runs these commands can open the ledger database, so they need no login; the
change is attributed to ``--author`` in the audit log, like every other CLI write. The
account functions are imported by each command, so that `esgledger --help` loads no database.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from esgledger.auth.roles import Role
from esgledger.cli.common import AuthorOption, DbOption, author_name, console, ledger_session
from esgledger.cli.words import Words
from esgledger.reporting_time import configured_zone, shown_time

app = typer.Typer(help="Accounts of the web application and API.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)
app.add_typer(tokens, name="token")

RoleOption = Annotated[Role, typer.Option(help="admin, group-manager, reporter or auditor")]
EntitiesOption = Annotated[
    list[str] | None, typer.Option("--entity", "-e", help="Entity a reporter works on (repeatable)")
]
UserArgument = Annotated[str, typer.Argument(help="User name")]
NewPassword = Annotated[
    str,
    typer.Option(
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="At least 12 characters, not a common one (asked for when left out)",
    ),
]


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="user")


@app.command("add")
def add(
    username: UserArgument,
    role: RoleOption,
    password: NewPassword,
    entity: EntitiesOption = None,
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Add an account (a reporter needs at least one --entity)."""
    from esgledger.auth.service import add_user

    with ledger_session(db) as session:
        add_user(session, author_name(author), username, password, role, name, entity or [])
    words = Words()
    role_name = words(f"user_role.{role.value}")
    console.print(words("cli.user.added", username=username, role=role_name))


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List accounts with their role and entities."""
    from esgledger.auth.service import list_users

    with ledger_session(db) as session:
        rows = list_users(session)
    words = Words()
    yes, no = words("cli.yes"), words("cli.no")
    table = Table(*(words(f"cli.user.{head}") for head in ("user", "name", "role", "entities")))
    table.add_column(words("cli.user.active"))
    for user, entities in rows:
        table.add_row(
            user.username,
            user.display_name,
            words.known(f"user_role.{user.role}") or user.role,
            ", ".join(entities) or words("cli.user.all"),
            yes if user.active else no,
        )
    console.print(table)


@app.command("grant")
def grant_(
    username: UserArgument,
    role: Annotated[Role | None, typer.Option(help="New role")] = None,
    entity: EntitiesOption = None,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Change a user's role and/or the entities a reporter works on."""
    from esgledger.auth.service import grant

    with ledger_session(db) as session:
        user = grant(session, author_name(author), username, role=role, entities=entity)
    words = Words()
    role_name = words.known(f"user_role.{user.role}") or user.role
    console.print(words("cli.user.granted", username=username, role=role_name))


@app.command("deactivate")
def deactivate(username: UserArgument, db: DbOption = None, author: AuthorOption = None) -> None:
    """Lock a user out at once: its sessions end and its API tokens stop working."""
    from esgledger.auth.accounts import set_active

    with ledger_session(db) as session:
        set_active(session, author_name(author), username, False)
    console.print(Words()("cli.user.deactivated", username=username))


@app.command("activate")
def activate(username: UserArgument, db: DbOption = None, author: AuthorOption = None) -> None:
    """Let a deactivated user log in again (its old API tokens work again too)."""
    from esgledger.auth.accounts import set_active

    with ledger_session(db) as session:
        set_active(session, author_name(author), username, True)
    console.print(Words()("cli.user.activated", username=username))


@app.command("password")
def password(
    username: UserArgument,
    password: NewPassword,
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Set a new password for a user who forgot it; the user's sessions end."""
    from esgledger.auth.accounts import reset_password

    with ledger_session(db) as session:
        reset_password(session, author_name(author), username, password)
    console.print(Words()("cli.user.password_reset", username=username))


@tokens.command("create")
def token_create(
    username: UserArgument,
    name: Annotated[str, typer.Option(help="What the token is for")] = "script",
    db: DbOption = None,
) -> None:
    """Create an API token for a user (printed once)."""
    from esgledger.auth.credentials import create_api_token
    from esgledger.auth.service import get_user

    with ledger_session(db) as session:
        secret = create_api_token(session, get_user(session, username), name)
    console.print(secret)


@tokens.command("list")
def token_list(username: UserArgument, db: DbOption = None) -> None:
    """A user's API tokens with their ids (the secrets themselves are not kept)."""
    from esgledger.auth.credentials import list_api_tokens
    from esgledger.auth.service import get_user

    with ledger_session(db) as session:
        rows = list_api_tokens(session, get_user(session, username))
    words = Words()
    yes, no = words("cli.yes"), words("cli.no")
    table = Table(*(words(f"cli.user.{head}") for head in ("id", "name", "created", "revoked")))
    zone = configured_zone()  # once, not per row
    for token in rows:
        table.add_row(
            str(token.id),
            token.name,
            shown_time(token.created_at, zone),
            yes if token.revoked else no,
        )
    console.print(table)


@tokens.command("revoke")
def token_revoke(
    username: UserArgument,
    token_id: Annotated[int, typer.Argument(help="The token's id (`user token list`)")],
    db: DbOption = None,
    author: AuthorOption = None,
) -> None:
    """Revoke a user's API token; requests with it are refused from now on."""
    from esgledger.auth.credentials import revoke_api_token
    from esgledger.auth.service import get_user

    with ledger_session(db) as session:
        revoke_api_token(session, author_name(author), get_user(session, username), token_id)
    console.print(Words()("cli.user.token_revoked", id=token_id, username=username))


@app.command("prune-sessions")
def prune_sessions(db: DbOption = None) -> None:
    """Delete expired login sessions (a running server also does so every hour)."""
    from esgledger.auth.credentials import prune_sessions as prune

    with ledger_session(db) as session:
        count = prune(session)
    console.print(Words()("cli.user.pruned", count=count))
