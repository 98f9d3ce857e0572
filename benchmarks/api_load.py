"""Load on the dashboard and observations API and a 10,000-row upload, on PostgreSQL.

Run:  .venv/bin/python benchmarks/api_load.py [--seconds 20] [--connections 32] [--repeat 3]

Needs wrk (Debian package `wrk`) and the PostgreSQL server of the test setup
(127.0.0.1:5432, user postgres, database test; or $ESGLEDGER_TEST_PG_URL). The demo group
is built into a fresh schema, `esgledger serve` runs on it with two workers, and wrk loads
it over loopback. Every worker is warmed up first (a worker computes the dashboard's
results on its first request); each run prints wrk's throughput, median and p99 latency,
its errors (connect/read/write errors, timeouts after 2 s, non-2xx answers), the CPU each
worker used and the machine's load average, which other work on the machine moves.

Endpoints: the dashboard; the first page (100) of the ledger's current observations
(about 7,000 in the demo), which counts them all; one entity-year of them, filtered; and
pages of 100 at random offsets, so that the workers' page cache rarely holds the answer.
Before the server starts, the two observation queries are timed in process against the
same queries computed from the revisions (the code before the ``current_values`` table:
the newest revision of every observation grouped out of the whole history, counted with
its sort), on the same database in the same run.
The baseline of the load, measured in the same run, is /api/v1/me: the same authentication with no
figures, so the ratios show what each endpoint costs on top of any authenticated request.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from openpyxl import Workbook
from sqlalchemy import create_engine, func, select, text

from esgledger.auth.credentials import create_api_token
from esgledger.auth.service import get_user
from esgledger.catalog import load_catalog
from esgledger.demo.build import build_demo, org_file
from esgledger.demo.generate import factor_file
from esgledger.ledger import revisions
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.revisions import Selection
from esgledger.ledger.schema import Revision
from esgledger.org import read_entities

PG_URL = os.environ.get(
    "ESGLEDGER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def demo_on_postgres(schema: str, folder: Path) -> tuple[str, str]:
    """Build the demo into a new schema; returns (database URL, manager API token)."""
    with create_engine(PG_URL).begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    database = open_database(url)
    build_demo(database, folder, load_catalog(), folder / "files")
    with unit_of_work(database) as session:
        token = create_api_token(session, get_user(session, "manager"), "load test")
    database.dispose()
    return url, token


def ledger_reads(url: str, rounds: int = 100) -> None:
    """Milliseconds per first page (with its count) of current observations: the table, and
    the same page computed from the revisions as before it, in one process and database."""
    smelt_2024 = Selection(["SMELT"], ["2024", *(f"2024-{m:02d}" for m in range(1, 13))])
    database = open_database(url)
    with unit_of_work(database) as session:
        for name, selection in (("all", Selection()), ("SMELT 2024", smelt_2024)):
            table = _millis_per_call(rounds, revisions.current_page, session, selection)
            history = _millis_per_call(rounds, _page_from_history, session, selection)
            same = revisions.current_page(session, selection) == _page_from_history(
                session, selection
            )
            assert same, "the table and the history disagree"
            print(
                f"first page of current observations ({name}): {table:.2f} ms from "
                f"current_values, {history:.2f} ms from the revisions ({history / table:.1f}x)"
            )
    database.dispose()


def _page_from_history(session, selection: Selection) -> tuple[list, int]:
    """The page as it was read before current_values: grouped out of every revision."""
    query = (
        select(Revision)
        .where(Revision.id.in_(revisions.latest_ids(selection)), Revision.is_tombstone.is_(False))
        .order_by(Revision.entity, Revision.indicator, Revision.period)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    return list(session.scalars(query.limit(100))), total


def _millis_per_call(rounds: int, call, *args) -> float:
    call(*args)
    start = time.perf_counter()
    for _ in range(rounds):
        call(*args)
    return (time.perf_counter() - start) / rounds * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, factors: Path, workers: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("esgledger")),
        "serve",
        "--db",
        url,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--factors",
        str(factors),
    ]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so the workers can be stopped with it
    )
    for _ in range(150):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:]}")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL for the whole group if a worker is stuck in a request."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print("the server did not stop within 15 s of SIGTERM; killed", file=sys.stderr)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=15)


def warm_up(url: str, token: str, connections: int, server: subprocess.Popen) -> None:
    """Short wrk runs with a new connection per request until two in a row answer every
    request, none slower than 250 ms.

    A worker's first dashboard request computes the results (about a second), which the
    worker then keeps until the ledger changes. The workers share one listening socket,
    and wrk's kept-alive connections may all land on one of them, so the warm-up closes
    each connection (``Connection: close``) to spread requests over every worker. Slow or
    failed answers are reported, not fatal: the measurement then shows what happens.
    """
    name = url.rsplit("/", 1)[-1]
    before = worker_seconds(server)
    calm = runs = 0
    while calm < 2 and runs < 30:
        load = wrk(url, token, 2, connections, "Connection: close")
        runs += 1
        calm = calm + 1 if load.max < 250 and not any(load.errors.values()) else 0
    if calm < 2:
        print(f"WARNING: {name} still slow or failing after the warm-up: {load.line(name)}")
    after = worker_seconds(server)
    used = " + ".join(f"{after[pid] - before.get(pid, 0.0):.1f}" for pid in sorted(after))
    print(f"warm-up of {name}: {runs} wrk runs of 2 s; worker CPU {used} s")


def worker_seconds(server: subprocess.Popen) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each worker process of the server."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text():
            found[int(child)] = (int(fields[11]) + int(fields[12])) / tick
    return found


@dataclass
class Load:
    rate: float  # requests per second
    p50: float  # milliseconds
    p99: float
    max: float
    requests: int
    errors: dict[str, int]  # kind -> count: connect/read/write/timeout and non-2xx responses

    def line(self, name: str) -> str:
        problems = ", ".join(f"{n} {k}" for k, n in self.errors.items() if n) or "no errors"
        if self.requests == 0:
            problems = f"NO ANSWER ({problems})"
        return (
            f"GET /api/v1/{name:<38} {self.rate:8.1f} req/s   p50 {self.p50:6.1f} ms   "
            f"p99 {self.p99:7.1f} ms   {self.requests:,} requests, {problems}"
        )


def wrk(
    url: str, token: str, seconds: int, connections: int, *headers: str, script: Path | None = None
) -> Load:
    """Throughput, latency and errors, as wrk reports them (requests time out after 2 s);
    ``script``: a Lua file that writes each request (see ``random_pages``)."""
    extra = [arg for header in headers for arg in ("-H", header)]
    extra += ["-s", str(script)] if script else []
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "2s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            *extra,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = {}
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        kinds = ("connect", "read", "write", "timeout")
        errors.update(zip(kinds, map(int, sockets.groups()), strict=True))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors["non-2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    if requests == 0:  # wrk prints no latencies then; every connection timed out or failed
        print(f"{url}: no request completed in {seconds} s; wrk said:\n{output}")
        return Load(0.0, math.inf, math.inf, math.inf, 0, errors)
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=_millis(output, "50%"),
        p99=_millis(output, "99%"),
        max=_millis(output, r"Latency\s+[\d.]+\w+\s+[\d.]+\w+"),
        requests=requests,
        errors=errors,
    )


def _millis(output: str, label: str) -> float:
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def _cells():
    """(entity, period, indicator) cells that fit the demo: yearly figures for the year,
    monthly ones for months, so no figure is given both ways."""
    catalog = load_catalog()
    entities = [e.code for e in read_entities(org_file()) if e.parent is not None]
    yearly = [i.id for i in catalog.inputs() if i.frequency == "yearly"]
    monthly = [i.id for i in catalog.inputs() if i.frequency == "monthly"]
    yield from ((e, "2024", i) for e in entities for i in yearly)
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    yield from ((e, p, i) for e in entities for i in monthly for p in months)


def upload_rows(port: int, token: str, rows: int, folder: Path) -> float:
    """Seconds to validate and store a ``rows``-row XLSX through POST /api/v1/imports."""
    book = Workbook()
    sheet = book.active
    sheet.append(["entity", "period", "indicator", "value", "unit", "comment"])
    for n, (entity, period, indicator) in enumerate(itertools.islice(_cells(), rows)):
        sheet.append([entity, period, indicator, 1000 + n, None, None])
    path = folder / "upload.xlsx"
    book.save(path)
    start = time.perf_counter()
    with path.open("rb") as handle:
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/imports",
                timeout=120,
                headers={"Authorization": f"Bearer {token}"},
                files={"file": (path.name, handle)},
            )
        except httpx.HTTPError as error:
            seconds = time.perf_counter() - start
            raise SystemExit(f"upload failed after {seconds:.0f} s: {error!r}") from None
    elapsed = time.perf_counter() - start
    if response.status_code >= 300:
        raise SystemExit(f"upload failed: {response.status_code} {response.text[:1000]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="wrk runs per endpoint")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            url, token = demo_on_postgres(schema, Path(folder))
            ledger_reads(url)
            port = free_port()
            server = start_server(url, port, factor_file(), args.workers)
            try:
                report(server, port, token, args, Path(folder))
            finally:
                stop_server(server)
    finally:
        with create_engine(PG_URL).begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


RANDOM_PAGES = "observations?offset=(random, 100 rows)"

# Path (under /api/v1) -> target (req/s at least, p99 under ms); the baseline has none.
ENDPOINTS = {
    "me": (0, 0),
    "dashboard": (300, 100),
    "observations": (500, 100),
    "observations?entity=SMELT&period=2024": (500, 100),
    RANDOM_PAGES: (500, 100),
}


def observation_count(base: str, token: str) -> int:
    answer = httpx.get(
        f"{base}/observations?limit=1", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    answer.raise_for_status()
    return int(answer.json()["total"])


def random_pages(folder: Path, rows: int) -> Path:
    """A wrk script asking every request for a page of 100 at a random offset (any row), so
    that the server's page cache rarely holds the answer: the first-page endpoint above
    repeats one URL and mostly measures that cache."""
    script = folder / "random_pages.lua"
    script.write_text(
        "math.randomseed(20241231)\n"
        "request = function()\n"
        f"  local offset = math.random(0, {max(rows - 100, 0)})\n"
        '  return wrk.format("GET", "/api/v1/observations?limit=100&offset=" .. offset)\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def verdict(name: str, runs: list[Load], baseline: Load, rate: float, p99: float) -> str:
    """The median run of ``name`` against its target and the baseline's throughput."""
    middle = sorted(runs, key=lambda load: load.rate)[len(runs) // 2]
    met = middle.rate >= rate and middle.p99 < p99 and not any(middle.errors.values())
    return (
        f"{name}: median run {middle.rate:.1f} req/s, p99 {middle.p99:.1f} ms "
        f"(target >= {rate} req/s with p99 < {p99} ms: {'met' if met else 'NOT met'}); "
        f"/me : {name} throughput = {baseline.rate / max(middle.rate, 0.1):.2f}x"
    )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(
    server: subprocess.Popen, port: int, token: str, args: argparse.Namespace, folder: Path
) -> None:
    base = f"http://127.0.0.1:{port}/api/v1"
    print(
        f"machine: {os.cpu_count()} cores, load average {_load()}; server: {args.workers} "
        f"uvicorn workers; wrk -t1 -c{args.connections} -d{args.seconds}s --timeout 2s on "
        f"loopback; PostgreSQL"
    )
    results: dict[str, list[Load]] = {}
    script = random_pages(folder, observation_count(base, token))
    for name in ENDPOINTS:
        path, options = ("observations", {"script": script}) if name == RANDOM_PAGES else (name, {})
        warm_up(f"{base}/{path}", token, args.connections, server)
        for _ in range(args.repeat):
            before = worker_seconds(server)
            load = wrk(f"{base}/{path}", token, args.seconds, args.connections, **options)
            after = worker_seconds(server)
            used = [after[pid] - before.get(pid, 0.0) for pid in sorted(after)]
            results.setdefault(name, []).append(load)
            print(load.line(name))
            print(
                f"    worker CPU {' + '.join(f'{u:.1f}' for u in used)} s "
                f"({1000 * sum(used) / max(load.requests, 1):.2f} ms per request); "
                f"load average {_load()}"
            )
    for name, (rate, p99) in ENDPOINTS.items():
        if rate:
            print(verdict(name, results[name], results["me"][0], rate, p99))
    seconds = upload_rows(port, token, args.rows, folder)
    print(f"upload of a {args.rows:,}-row XLSX (validate + store): {seconds:.2f} s (target < 5 s)")
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
