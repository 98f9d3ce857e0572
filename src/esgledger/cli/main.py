"""The `esgledger` command: sub-commands are registered from one module per area.

User mistakes end in a short message and a non-zero exit code; only a bug in esgledger
shows a traceback.
"""

from __future__ import annotations

import sys

import click
import typer
from rich.markup import escape
from sqlalchemy.exc import OperationalError

from esgledger.cli import (
    audit_cmd,
    calc_cmd,
    data_cmds,
    demo_cmd,
    observations_cmd,
    org_cmd,
    report_cmd,
    serve_cmd,
    targets_cmd,
)
from esgledger.cli.common import err_console
from esgledger.engine.memory import keep_freed_memory
from esgledger.errors import ErrorKind, EsgError

app = typer.Typer(
    name="esgledger",
    help="ESG data ledger and carbon accounting for industrial groups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_cmds.register(app)
app.add_typer(org_cmd.app, name="org")
app.add_typer(observations_cmd.app, name="observations")
app.add_typer(audit_cmd.app, name="audit")
calc_cmd.register(app)
serve_cmd.register(app)
targets_cmd.register(app)
report_cmd.register(app)
demo_cmd.register(app)


def run() -> None:
    """Entry point of the console script."""
    keep_freed_memory()  # a process that may calculate more than once (engine/memory.py)
    sys.exit(main(sys.argv[1:]))


def main(argv: list[str]) -> int:
    try:
        result = app(args=argv, prog_name="esgledger", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted")
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except EsgError as exc:
        if exc.kind is ErrorKind.BUG:
            raise
        err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return 1
    except OperationalError as exc:
        err_console.print(f"[bold red]error:[/] the database refused: {escape(str(exc.orig))}")
        return 1
    return result if isinstance(result, int) else 0
