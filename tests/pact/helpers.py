"""Test footprints built from the products package's contract, and the PACT host served
over real TLS (uvicorn with a certificate of a throwaway CA, tests/pact/conftest.py tls)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import uvicorn
from sqlalchemy.engine import Engine

from esgledger.pact.host import create_pact_app
from esgledger.pact.payload import Publisher
from esgledger.products.footprint import ComputedFootprint, GasContribution
from esgledger.units import Q_

PUBLISHER = Publisher(company_name="Northern Rare Earth Test Co.", domain="nre.example.cn")


def oxide_footprint(per_tonne: float = 21_400.0, **changes: object) -> ComputedFootprint:
    """NdPr oxide of the smelter, 2024, per tonne (kg CO2e per tonne of oxide)."""
    fields: dict[str, object] = dict(
        product_id="NdPr-oxide",
        name_en="Praseodymium-neodymium oxide",
        name_zh="氧化镨钕",
        entity="SMELT",
        declared_unit="ton",
        declared_unit_amount=1.0,
        period_start=date(2024, 1, 1),
        period_end=date(2025, 1, 1),
        geography_country="CN",
        fossil=Q_(per_tonne, "kgCO2e"),
        biogenic_uptake=Q_(0.0, "kgCO2e"),
        total_excluding_biogenic_uptake=Q_(per_tonne, "kgCO2e"),
        primary_data_share=0.62,
        data_quality={"technological": 1.6, "temporal": 1.0, "geographical": 1.2},
        by_gas=(GasContribution("CO2", Q_(per_tonne, "kgCO2e")),),
        cpc_code="34290",
        allocation="mass",
        method_note="ISO 14067; GHG Protocol Product Standard",
        ipcc_characterization=("AR6",),
        fossil_carbon_content=Q_(0.0, "kg"),
    )
    fields.update(changes)
    return ComputedFootprint(**fields)  # type: ignore[arg-type]


def metal_footprint(**changes: object) -> ComputedFootprint:
    base = dict(
        product_id="NdPr-metal",
        name_en="Praseodymium-neodymium metal",
        name_zh="镨钕金属",
        entity="METAL",
    )
    return oxide_footprint(**{**base, **changes})


def serve_pact(database: Engine, pem: Path) -> Iterator[str]:
    """The PACT host on ``database`` under uvicorn over TLS: yields its https:// base URL,
    then stops the server when resumed."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_pact_app(database),
        ssl_certfile=str(pem),
        ssl_keyfile=str(pem),
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
