"""Load on the dashboard API and a 10,000-row upload, on PostgreSQL with the demo data.

Run:  .venv/bin/python benchmarks/api_load.py [--seconds 20] [--connections 32]

Needs wrk (Debian package `wrk`) and the PostgreSQL server of the test setup
(127.0.0.1:5432, user postgres, database test; or $ESGLEDGER_TEST_PG_URL). The demo group
is built into a fresh schema, `esgledger serve` runs on it with two workers, and wrk loads
it over loopback. The baseline, measured in the same run, is /api/v1/me: the same
authentication and database round trip with no figures, so the ratio shows what the
dashboard costs on top of serving any authenticated request.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from openpyxl import Workbook
from sqlalchemy import create_engine, text

from esgledger.auth.service import create_api_token, get_user
from esgledger.catalog import load_catalog
from esgledger.demo.build import build_demo, org_file
from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_engine, unit_of_work
from esgledger.org import read_entities

PG_URL = os.environ.get(
    "ESGLEDGER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def demo_on_postgres(schema: str, folder: Path) -> tuple[str, str]:
    """Build the demo into a new schema; returns (database URL, manager API token)."""
    with create_engine(PG_URL).begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = open_engine(url)
    build_demo(engine, folder, load_catalog())
    with unit_of_work(engine) as session:
        token = create_api_token(session, get_user(session, "manager"), "load test")
    engine.dispose()
    return url, token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, factors: Path) -> subprocess.Popen:
    command = [
        shutil.which("esgledger") or "esgledger",
        "serve",
        "--db",
        url,
        "--port",
        str(port),
        "--workers",
        "2",
        "--factors",
        str(factors),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:]}")


def wrk(url: str, token: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests per second and p99 latency in milliseconds, as wrk reports them."""
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses under load\n{output}")
    return rate, float(p99.group(1)) * scale


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
        response = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/imports",
            timeout=120,
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (path.name, handle)},
        )
    elapsed = time.perf_counter() - start
    if response.status_code >= 300:
        raise SystemExit(f"upload failed: {response.status_code} {response.text[:1000]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory() as folder:
        url, token = demo_on_postgres(schema, Path(folder))
        port = free_port()
        server = start_server(url, port, factor_file())
        try:
            report(port, token, args, Path(folder))
        finally:
            server.terminate()
            server.wait(timeout=30)
            with create_engine(PG_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def report(port: int, token: str, args: argparse.Namespace, folder: Path) -> None:
    base = f"http://127.0.0.1:{port}/api/v1"
    httpx.get(f"{base}/dashboard", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    print(
        f"machine: {os.cpu_count()} cores; server: 2 uvicorn workers; wrk -t1 "
        f"-c{args.connections} -d{args.seconds}s on loopback; PostgreSQL"
    )
    results = {}
    for name in ("me", "dashboard"):
        results[name] = wrk(f"{base}/{name}", token, args.seconds, args.connections)
        rate, p99 = results[name]
        print(f"GET /api/v1/{name:<10} {rate:8.1f} req/s   p99 {p99:7.1f} ms")
    ratio = results["me"][0] / results["dashboard"][0]
    print(
        f"throughput ratio /me : /dashboard = {ratio:.2f}x "
        f"(target: dashboard >= 300 req/s with p99 < 100 ms)"
    )
    seconds = upload_rows(port, token, args.rows, folder)
    print(f"upload of a {args.rows:,}-row XLSX (validate + store): {seconds:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
