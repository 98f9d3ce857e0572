"""The `esgledger` command: sub-commands are registered from one module per area.

User mistakes end in a short message and a non-zero exit code; only a bug in esgledger
shows a traceback.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape

from esgledger.cli import (
    assurance_cmd,
    audit_cmd,
    backup_cmd,
    calc_cmd,
    campaign_cmd,
    carbon_assets_cmd,
    climate_cmd,
    data_cmds,
    demo_cmd,
    footprint_cmd,
    glossary_cmd,
    jobs_cmd,
    materiality_cmd,
    monitor_cmd,
    observations_cmd,
    org_cmd,
    pact_cmd,
    permits_cmd,
    plugins_cmd,
    report_cmd,
    safety_cmd,
    serve_cmd,
    supplier_cmd,
    targets_cmd,
    user_cmd,
)
from esgledger.cli.common import chosen_language, err_console, message_language
from esgledger.cli.extras import extra_for
from esgledger.engine.arrays.memory import keep_freed_memory
from esgledger.errors import LANGUAGES, ErrorKind, EsgError, render

Language = Enum("Language", {lang: lang for lang in LANGUAGES}, type=str)

# Typer 0.29 runs its own copy of Click (typer._click) and raises that copy's exceptions;
# older Typer (0.16 and before, at least) raises the click package's. Catch typer's own.
try:
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - Typer that still depends on the click package
    from click.exceptions import ClickException  # type: ignore[no-redef]

app = typer.Typer(
    name="esgledger",
    help="ESG data ledger and carbon accounting for industrial groups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of what a command prints and of its error messages: en or zh "
            "(default: $ESGLEDGER_LANGUAGE, else en)",
        ),
    ] = None,
) -> None:
    """Options that come before the command name: ``esgledger --lang zh import data.csv``."""
    chosen_language.set(lang.value if lang else None)


data_cmds.register(app)
app.add_typer(org_cmd.app, name="org")
app.add_typer(observations_cmd.app, name="observations")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(pact_cmd.app, name="pact")
app.add_typer(materiality_cmd.app, name="materiality")
calc_cmd.register(app)
serve_cmd.register(app)
user_cmd.register(app)
targets_cmd.register(app)
climate_cmd.register(app)
report_cmd.register(app)
demo_cmd.register(app)
backup_cmd.register(app)
glossary_cmd.register(app)
plugins_cmd.register(app)
monitor_cmd.register(app)
permits_cmd.register(app)
supplier_cmd.register(app)
carbon_assets_cmd.register(app)
safety_cmd.register(app)
footprint_cmd.register(app)
jobs_cmd.register(app)
campaign_cmd.register(app)
assurance_cmd.register(app)


def run() -> None:
    """Entry point of the console script."""
    keep_freed_memory()  # a process that may calculate more than once (engine/arrays/memory.py)
    sys.exit(main(sys.argv[1:]))


def main(argv: list[str]) -> int:
    """Run one command; returns its exit code (2 for a usage error, 1 for any other mistake)."""
    try:
        result = app(args=argv, prog_name="esgledger", standalone_mode=False)
    except typer.Exit as exc:  # typer.Exit and typer.Abort are the classes its Click raises
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except ClickException as exc:
        _show_usage_error(exc, argv)
        return exc.exit_code
    except EsgError as exc:
        if exc.kind is ErrorKind.BUG:
            raise
        lang = message_language()
        prefix = render("command.error", lang)
        text = exc.render(lang)
        # the prefix carries its own spacing: "error: " in English, "错误：" in Chinese
        err_console.print(f"[bold red]{prefix}[/]{escape(text)}", highlight=False, soft_wrap=True)
        return 1
    except Exception as exc:
        explained = _explained(exc, argv)
        if explained is None:
            raise  # a bug in esgledger: its traceback is for us
        prefix = render("command.error", message_language())
        err_console.print(f"[bold red]{prefix}[/]{escape(explained)}", highlight=False)
        return 1
    return result if isinstance(result, int) else 0


def _explained(exc: Exception, argv: list[str]) -> str | None:
    """The message for a failure that is the installation's or the database's, not ours."""
    if isinstance(exc, ModuleNotFoundError):  # a command that does not check its extra
        missing = extra_for(exc, _command_path(argv))
        return str(missing) if missing else None
    refusal = _database_refusal(exc)
    return f"the database refused: {refusal}" if refusal else None


def _database_refusal(exc: Exception) -> str | None:
    """What the database said when it refused a connection or statement, else None.

    SQLAlchemy is imported only by commands that open a ledger (`--help` starts without
    it); when it was never imported, no database can have refused anything.
    """
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_errors is not None and isinstance(exc, sqlalchemy_errors.OperationalError):
        return str(exc.orig)
    return None


def _show_usage_error(exc: ClickException, argv: list[str]) -> None:
    """Click's own short message: usage, a hint to --help, and what was wrong.

    Click leaves out the usage and the hint when the parser fails before a command's
    context exists (``calc --years`` with no value), so the hint is added here.
    """
    exc.show()
    if exc.exit_code == 2 and getattr(exc, "ctx", None) is None:
        err_console.print(f"Try '{_command_path(argv)} --help' for help.", highlight=False)


def _command_path(argv: list[str]) -> str:
    """The command named at the start of ``argv``, e.g. ``esgledger org load``."""
    command = typer.main.get_command(app)
    path = ["esgledger"]
    for word in argv:
        command = getattr(command, "commands", {}).get(word)
        if command is None:
            break
        path.append(word)
    return " ".join(path)


if __name__ == "__main__":  # `python -m esgledger.cli.main`, as the start-time checks run it
    run()
