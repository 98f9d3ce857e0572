"""The JSON of GET /api/v1/observations, pinned to the byte.

``observation_pages.json`` holds the bodies the endpoint answered when each observation
was still built as a pydantic model and validated against the response model. The list is
now serialised from plain rows (see api/routers/observations.py); a client must not see
the difference: the same fields, in the same order, with the same values and number
formats. The ledger behind it has converted units, long and tiny floats, comments with
quotes and Chinese, quality tiers, all statuses but locked, and a deletion.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pydantic import TypeAdapter

from esgledger.api.pagination import Page, PageParams, page_json
from esgledger.api.schemas import OBSERVATION_COLUMNS, ObservationPublic
from esgledger.catalog import load_catalog
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.revisions import Selection
from tests.api.conftest import GAS, REO
from tests.api.test_observations import upload

PINNED = Path(__file__).with_name("observation_pages.json")
ELECTRICITY = "energy.purchased_electricity"
HEADER = ["entity", "period", "indicator", "value", "unit", "comment", "quality"]

ROWS = [
    ("SMELT", "2024", REO, "12345678901234567", "", "", "measured"),
    ("SMELT", "2024", GAS, "100", "10^4 Nm3", 'meter "A", 表计', "calculated"),
    ("METAL", "2024", REO, "0.1", "", "", "estimated"),
    *[("SMELT", f"2024-{m:02d}", ELECTRICITY, f"{m / 3}", "kWh", "", "") for m in range(1, 13)],
    ("METAL", "2024-01", ELECTRICITY, "0.0000001", "MWh", "注释", "modeled"),
    ("METAL", "2023", GAS, "1e5", "", "", ""),
]

QUERIES = [
    "",
    "?limit=3&offset=2",
    "?entity=SMELT&period=2024",
    "?indicator=energy.purchased_electricity&limit=5",
    "?status=approved",
    "?status=rejected",
    "?offset=100",
]


def fill(api) -> None:
    """Imports, a review decision each way and a deletion, in a fixed order."""
    imported = upload(api.client("admin"), "varied.csv", _csv(ROWS), submit="true")
    assert imported.status_code == 200, imported.text
    manager = api.client("manager")
    for action, entity, period in (("approve", "METAL", "2024"), ("reject", "SMELT", "2024-01")):
        chosen = api.submitted(entity=entity, period=period)
        body = {"revisions": chosen, **({"reason": "checked"} if action == "reject" else {})}
        assert manager.post(f"/api/v1/workflow/{action}", json=body).status_code == 200
    api.save("METAL", "2024-02", {ELECTRICITY: "3.5"})
    gone = {"entity": "SMELT", "period": "2024-06", "indicator": ELECTRICITY, "reason": "twice"}
    assert api.client("admin").post("/api/v1/observations/delete", json=gone).status_code == 200


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def bodies(api) -> dict[str, str]:
    bodies = {}
    for user in ("manager", "smelt"):
        client = api.client(user)
        for query in QUERIES:
            response = client.get(f"/api/v1/observations{query}")
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "application/json"
            bodies[f"{user} {query}"] = response.content.decode()
    return bodies


def test_the_observation_list_answers_the_pinned_json_byte_for_byte(api):
    """On SQLite, through the application; the next test covers PostgreSQL's value types."""
    fill(api)
    assert bodies(api) == json.loads(PINNED.read_text(encoding="utf-8"))


def test_plain_rows_serialise_as_the_response_model_would_on_each_database(ledger, tmp_path):
    """The row path against the model path, on PostgreSQL's and SQLite's own value types."""
    (tmp_path / "varied.csv").write_bytes(_csv(ROWS))
    with unit_of_work(ledger) as session:
        import_file(session, tmp_path / "varied.csv", "tester", load_catalog(), submit=True)
        revisions.delete(session, "tester", Selection(["SMELT"], ["2024-06"]), "twice")
    params = PageParams(limit=7, offset=3)
    with unit_of_work(ledger) as session:
        models, total = revisions.current_page(session, offset=3, limit=7)
        rows, _ = revisions.current_page(session, offset=3, limit=7, columns=OBSERVATION_COLUMNS)
    assert total == len(ROWS) - 1 and len(rows) == 7
    by_model = Page[ObservationPublic](
        items=[ObservationPublic.of(r) for r in models], total=total, limit=7, offset=3
    )
    expected = TypeAdapter(Page[ObservationPublic]).dump_json(by_model)
    assert page_json([r._asdict() for r in rows], total, params) == expected


def test_the_list_still_documents_its_page_of_observations(api):
    """The body bypasses the response model, so the schema must still come from it."""
    get = api.app.openapi()["paths"]["/api/v1/observations"]["get"]
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("Page_ObservationPublic_")
