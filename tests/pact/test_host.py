"""The host answers as PACT v3 says: tokens, list with filters and pages, get, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.pact import spec
from esgledger.pact.host import create_pact_app


def _error(answer, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert spec.problems(answer.json(), "Error") == []
    assert answer.json()["code"] == code


def test_client_credentials_give_a_bearer_token(host):
    answer = host.http.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(host.client_id, host.client_secret),
    )
    assert answer.status_code == 200
    assert answer.json()["token_type"] == "bearer"
    assert answer.json()["expires_in"] == 3600


def test_a_wrong_secret_is_refused_as_rfc6749_says(host):
    answer = host.http.post(
        "/auth/token", data={"grant_type": "client_credentials"}, auth=(host.client_id, "wrong")
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    body = host.http.post(
        "/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": host.client_id,
            "client_secret": "wrong",
        },
    )
    assert body.status_code == 400 and body.json()["error"] == "invalid_client"


def test_another_grant_type_is_refused(host):
    answer = host.http.post(
        "/auth/token", data={"grant_type": "password"}, auth=(host.client_id, host.client_secret)
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_client_secrets_and_ids_are_not_kept_in_clear(host):
    with unit_of_work(host.database) as session:
        stored = str([r.payload for r in current_records(session, "pact.clients")])
        keys = [r.key for r in current_records(session, "pact.clients")]
    assert host.client_secret not in stored
    assert host.client_id not in stored and host.client_id not in keys


def test_the_list_is_valid_and_pages_by_link_header(host):
    headers = host.bearer()
    first = host.http.get("/3/footprints?limit=1", headers=headers)
    assert first.status_code == 200
    assert spec.problems(first.json(), "ListFootprintsResponse") == []
    assert len(first.json()["data"]) == 1
    link = first.links["next"]["url"]
    assert link.startswith("https://supplier.example.com/3/footprints?")
    second = host.http.get(link, headers=headers)
    assert len(second.json()["data"]) == 1
    assert "link" not in second.headers
    ids = {first.json()["data"][0]["id"], second.json()["data"][0]["id"]}
    assert len(ids) == 2


def test_filters_select_by_product_case_insensitively(host):
    headers = host.bearer()
    answer = host.http.get(
        "/3/footprints",
        headers=headers,
        params={"productId": "URN:PACT:NRE.EXAMPLE.CN:PRODUCT-ID:NDPR-METAL"},
    )
    assert [f["productNameCompany"] for f in answer.json()["data"]] == [
        "Praseodymium-neodymium metal"
    ]
    none = host.http.get("/3/footprints", headers=headers, params={"geography": "DE"})
    assert none.json() == {"data": []}
    valid = host.http.get(
        "/3/footprints",
        headers=headers,
        params={"validOn": "2026-06-01T00:00:00Z", "status": "Active"},
    )
    assert len(valid.json()["data"]) == 2


def test_get_returns_one_footprint_and_404_for_an_unknown_id(host):
    headers = host.bearer()
    listed = host.http.get("/3/footprints", headers=headers).json()["data"]
    one = host.http.get(f"/3/footprints/{listed[0]['id']}", headers=headers)
    assert one.status_code == 200
    assert spec.problems(one.json(), "GetFootprintResponse") == []
    _error(
        host.http.get("/3/footprints/0f8fad5b-d9cb-469f-a165-70867728950e", headers=headers),
        404,
        "NotFound",
    )


def test_token_errors_are_pacts(host):
    _error(host.http.get("/3/footprints"), 400, "BadRequest")
    _error(
        host.http.get("/3/footprints", headers={"authorization": "Bearer nonsense"}),
        400,
        "BadRequest",
    )
    _error(host.http.get("/3/footprints?limit=0", headers=host.bearer()), 400, "BadRequest")
    _error(
        host.http.get("/3/footprints?validOn=yesterday", headers=host.bearer()), 400, "BadRequest"
    )


def test_an_expired_token_answers_token_expired(host, monkeypatch):
    headers = host.bearer()
    monkeypatch.setitem(spec.settings(), "token_lifetime_seconds", -1)
    expired = host.bearer()
    _error(host.http.get("/3/footprints", headers=expired), 401, "TokenExpired")
    assert host.http.get("/3/footprints", headers=headers).status_code == 200


def test_a_client_limited_to_an_entity_is_denied_others(host):
    from esgledger.pact import clients

    with unit_of_work(host.database) as session:
        made = clients.add_client(session, "Metal buyer", actor="tester", entities=["METAL"])
    token = host.http.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(made.client_id, made.client_secret),
    ).json()["access_token"]
    headers = {"authorization": f"Bearer {token}"}
    listed = host.http.get("/3/footprints", headers=headers).json()["data"]
    assert [f["productNameCompany"] for f in listed] == ["Praseodymium-neodymium metal"]
    everything = host.http.get("/3/footprints", headers=host.bearer()).json()["data"]
    oxide = next(f for f in everything if "oxide" in f["productNameCompany"])
    _error(host.http.get(f"/3/footprints/{oxide['id']}", headers=headers), 403, "AccessDenied")


def test_plain_http_is_refused(host):
    plain = TestClient(create_pact_app(host.database), base_url="http://supplier.example.com")
    answer = plain.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(host.client_id, host.client_secret),
    )
    _error(answer, 400, "BadRequest")
    assert "access_token" not in answer.text


def test_an_unknown_action_and_method_answer_pact_errors(host):
    _error(host.http.get("/3/nothing"), 404, "NotFound")
    _error(host.http.delete("/3/footprints", headers=host.bearer()), 501, "NotImplemented")
