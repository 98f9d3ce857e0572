"""`esgledger worker` and `esgledger jobs`: run the queue's jobs, submit, follow, cancel.

Without a worker running, `jobs submit --inline` runs the job in this process (still
recorded and audited like any other), which is how a machine with no worker gets work done.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from esgledger.cli.common import AuthorOption, DbOption, author_name, console, print_table
from esgledger.cli.words import Words
from esgledger.errors import EsgError

if TYPE_CHECKING:
    from esgledger.jobs import Job, Jobs

app = typer.Typer(help="Background jobs: report builds, calculations, mail.", no_args_is_help=True)
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="KEY=VALUE, the value JSON when it parses (repeatable)"),
]
WAIT_POLL_SECONDS = 0.5


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="jobs")
    main.command("worker")(worker)


def worker(
    db: DbOption = None,
    until_empty: Annotated[
        bool, typer.Option("--until-empty", help="Stop once the queue is empty")
    ] = False,
) -> None:
    """Run queued jobs until stopped (SIGTERM/Ctrl-C: finish the job in hand, then stop)."""
    from esgledger.jobs.queue import queue_url
    from esgledger.jobs.worker import Worker

    jobs = _jobs(db)
    runner = Worker(jobs)
    runner.install_signal_handlers()
    words = Words()
    console.print(words("cli.jobs.worker", queue=escape(queue_url(jobs.settings))))
    handled = runner.run(until_empty=until_empty)
    console.print(words("cli.jobs.stopped", count=handled))


@app.command("submit")
def submit(
    kind: Annotated[str, typer.Argument(help="report, calculation, mail or ping")],
    param: ParamOption = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for a worker to finish it")] = False,
    inline: Annotated[
        bool, typer.Option("--inline", help="Run it here, now (no worker needed)")
    ] = False,
    author: AuthorOption = None,
    db: DbOption = None,
) -> None:
    """Queue a job; prints its number (`jobs show NUMBER` follows it)."""
    from esgledger.cli.common import ledger_database

    jobs, database = _jobs(db), ledger_database(db)
    try:
        job = jobs.submit(kind, parse_params(param or []), author_name(author), database)
    finally:
        database.dispose()
    console.print(Words()("cli.jobs.queued", id=job.id, kind=job.kind))
    if inline:
        jobs.run(job.id)
    if inline or wait:
        _end_with(_follow(jobs, job.id, timeout=None))


@app.command("list")
def list_jobs(
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first")] = 20,
    db: DbOption = None,
) -> None:
    """The newest jobs: status, progress, who asked and when."""
    from esgledger.reporting_time import configured_zone, shown_time

    zone = configured_zone()
    words = Words()
    heads = ("job", "kind", "status", "progress", "asked_by", "asked_at", "message")
    table = Table(*(words(f"cli.jobs.{head}") for head in heads))
    for job in _jobs(db).store.all()[:limit]:
        progress = f"{job.step}/{job.steps}" if job.steps else "-"
        when = shown_time(job.requested_at, zone)
        status = _status(job, words)
        table.add_row(
            job.id, job.kind, status, progress, job.requested_by, when, escape(_line(job))
        )
    print_table(table)


@app.command("show")
def show(job_id: str, db: DbOption = None) -> None:
    """One job in full, its result as JSON."""
    _print(_jobs(db).store.get(job_id))


@app.command("wait")
def wait_for(
    job_id: str,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Give up after this many seconds")
    ] = None,
    db: DbOption = None,
) -> None:
    """Follow a job until it ends; exits non-zero when it failed or was cancelled."""
    _end_with(_follow(_jobs(db), job_id, timeout))


@app.command("cancel")
def cancel(job_id: str, author: AuthorOption = None, db: DbOption = None) -> None:
    """Stop a job: a queued one never starts, a running one stops at its next step."""
    from esgledger.cli.common import ledger_database

    database = ledger_database(db)
    try:
        job = _jobs(db).cancel(job_id, author_name(author), database)
    finally:
        database.dispose()
    words = Words()
    console.print(words("cli.jobs.cancel", id=job.id, status=_status(job, words)))


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """KEY=VALUE pairs; a value that parses as JSON (2024, [2023, 2024]) is taken as such."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise EsgError(
                f"--param {pair!r} is not KEY=VALUE; write for example --param year=2024",
                code="jobs.bad_param_option",
                params={"given": pair},
            )
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def _jobs(db: str | None) -> Jobs:
    from esgledger.jobs import Jobs
    from esgledger.ledger.database import database_url
    from esgledger.settings import load_settings

    return Jobs(load_settings(db=database_url(db)))


def _follow(jobs: Jobs, job_id: str, timeout: float | None) -> Job:
    deadline = None if timeout is None else time.monotonic() + timeout
    shown = None
    while True:
        job = jobs.store.get(job_id)
        line = f"{job.status.value} {job.step}/{job.steps} {job.message}"
        if line != shown:
            console.print(Words()("cli.jobs.line", id=job.id, line=escape(line)))
            shown = line
        if job.finished:
            return job
        if deadline is not None and time.monotonic() > deadline:
            raise EsgError(
                f"job {job_id} is still {job.status.value} after {timeout:g} s; is a worker "
                "running? (`esgledger worker`)",
                code="jobs.wait_timeout",
                params={"job": job_id, "status": job.status.value, "seconds": timeout},
            )
        time.sleep(WAIT_POLL_SECONDS)


def _end_with(job: Job) -> None:
    _print(job)
    if job.error is not None:
        raise EsgError(job.error.message, code=job.error.code, params=job.error.params)
    if job.status.value != "done":
        raise typer.Exit(1)


def _print(job: Job) -> None:
    words = Words()
    console.print(
        words(
            "cli.jobs.show",
            id=job.id,
            kind=job.kind,
            status=_status(job, words),
            by=escape(job.requested_by),
            at=f"{job.requested_at:%Y-%m-%d %H:%M:%S}",
        )
    )
    message = escape(job.message)
    console.print(words("cli.jobs.show_progress", step=job.step, steps=job.steps, message=message))
    if job.result is not None:
        result = escape(json.dumps(job.result, ensure_ascii=False))
        console.print(words("cli.jobs.result") + result)
    if job.error is not None:
        console.print(words("cli.jobs.error", message=escape(job.error.message)))


def _status(job: Job, words: Words) -> str:
    return words.known(f"cli.job_status.{job.status.value}") or job.status.value


def _line(job: Job) -> str:
    return job.error.message if job.error else job.message
