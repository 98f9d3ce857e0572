"""Form saves with optimistic concurrency, deletions, and file uploads."""

from __future__ import annotations

import csv
import io

from tests.api.conftest import GAS, REO

HEADER = ["entity", "period", "indicator", "value", "unit", "comment"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client, name, content, **data):
    return client.post("/api/v1/imports", files={"file": (name, content, "text/csv")}, data=data)


def form(seen, value, indicator=REO):
    return {
        "entity": "SMELT",
        "period": "2024",
        "values": [{"indicator": indicator, "value": value, "seen_revision": seen}],
    }


def test_a_form_save_converts_units_and_reports_what_it_wrote(api):
    body = {
        "entity": "SMELT",
        "period": "2024",
        "submit": True,
        "values": [
            {"indicator": GAS, "value": 100, "unit": "10^4 Nm3", "comment": "meter"},
            {"indicator": REO, "value": "5,000"},
        ],
    }
    saved = api.client("smelt").post("/api/v1/observations", json=body).json()
    assert saved["new_revisions"] == 2 and saved["status"] == "submitted"
    items = api.client("smelt").get("/api/v1/observations", params={"indicator": GAS}).json()
    gas = items["items"][0]
    assert (gas["value"], gas["unit"], gas["entered_unit"]) == (1e6, "Nm3", "10^4 Nm3")
    assert gas["comment"] == "meter" and gas["status"] == "submitted"


def test_the_first_save_wins_and_the_second_gets_409_naming_the_indicator(api):
    api.save("SMELT", "2024", {REO: "5000"})
    seen = api.revision("SMELT", "2024", REO)
    first, second = api.client("smelt"), api.client("manager")
    assert first.post("/api/v1/observations", json=form(seen, "5100")).status_code == 200
    before = api.revision("SMELT", "2024", REO)
    conflict = second.post("/api/v1/observations", json=form(seen, "5200"))
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "ConflictError"
    assert REO in conflict.json()["error"]["message"]
    assert api.revision("SMELT", "2024", REO) == before


def test_a_new_value_with_no_seen_revision_conflicts_when_one_appeared(api):
    api.save("SMELT", "2024", {REO: "5000"})
    response = api.client("smelt").post("/api/v1/observations", json=form(None, "1"))
    assert response.status_code == 409


def test_invalid_form_values_give_422_with_one_error_per_row(api):
    body = {
        "entity": "SMELT",
        "period": "2024",
        "values": [
            {"indicator": REO, "value": "lots"},
            {"indicator": GAS, "value": "5", "unit": "kg"},
            {"indicator": "energy.gass", "value": "1"},
        ],
    }
    response = api.client("smelt").post("/api/v1/observations", json=body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted({e["row"] for e in errors}) == [1, 2, 3]
    assert api.client("admin").get("/api/v1/observations").json()["total"] == 0


def test_a_bad_period_or_an_empty_form_is_422_before_the_ledger_is_asked(api):
    client = api.client("smelt")
    bad = client.post("/api/v1/observations", json={**form(None, "1"), "period": "0000"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "body.period"
    empty = client.post("/api/v1/observations", json={**form(None, "1"), "values": []})
    assert empty.status_code == 422


def test_deleting_appends_a_tombstone_and_keeps_the_history(api):
    api.save("SMELT", "2024", {REO: "5000"})
    body = {"entity": "SMELT", "period": "2024", "indicator": REO, "reason": "double entry"}
    deleted = api.client("smelt").post("/api/v1/observations/delete", json=body)
    assert deleted.json() == {"action": "delete", "changed": 1}
    assert api.client("smelt").get("/api/v1/observations").json()["total"] == 0
    params = {k: body[k] for k in ("entity", "period", "indicator")}
    history = api.client("smelt").get("/api/v1/observations/history", params=params).json()
    assert [h["deleted"] for h in history] == [False, True]
    assert history[-1]["reason"] == "double entry"
    again = api.client("smelt").post("/api/v1/observations/delete", json=body)
    assert again.status_code == 404


def test_history_of_an_unknown_observation_is_404(api):
    params = {"entity": "SMELT", "period": "2024", "indicator": REO}
    assert api.client("admin").get("/api/v1/observations/history", params=params).status_code == 404


def test_an_uploaded_file_is_imported_under_its_own_name(api):
    content = csv_bytes(
        [("SMELT", "2024", REO, "5000", "tREO", ""), ("SMELT", "2024-01", GAS, 9, "", "")]
    )
    response = upload(api.client("smelt"), "smelt-2024.csv", content, submit="true")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source": "smelt-2024.csv",
        "rows": 2,
        "new_revisions": 2,
        "unchanged": 0,
        "changeset": 1,
        "status": "submitted",
        "unusual_months": [],  # yearly values: no month to judge
    }
    again = upload(api.client("smelt"), "smelt-2024.csv", content).json()
    assert (again["new_revisions"], again["unchanged"]) == (0, 2)
    history = api.client("smelt").get(
        "/api/v1/observations/history",
        params={"entity": "SMELT", "period": "2024", "indicator": REO},
    )
    assert history.json()[0]["source_file"] == "smelt-2024.csv"
    assert history.json()[0]["source_row"] == 2


def test_a_bad_file_is_422_listing_every_bad_row_and_nothing_is_written(api):
    content = csv_bytes(
        [
            ("SMELT", "2024", REO, "5000", "tREO", ""),
            ("SMELT", "2024", GAS, "abc", "", ""),
            ("SMELT", "2031", REO, "1", "", ""),
            ("NOPE", "2024", REO, "1", "", ""),
            ("SMELT", "2024", "energy.gass", "1", "", ""),
        ]
    )
    response = upload(api.client("admin"), "bad.csv", content)
    assert response.status_code == 422
    body = response.json()
    assert {e["row"] for e in body["errors"]} == {3, 4, 5, 6}
    assert body["error"]["message"].startswith("bad.csv:")
    assert all(e["message"] for e in body["errors"])
    assert api.client("admin").get("/api/v1/observations").json()["total"] == 0


def test_an_unreadable_file_is_400_without_the_servers_paths(api):
    response = upload(api.client("admin"), "notes.txt", b"hello")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("notes.txt:") and "esgledger-upload" not in message
    latin = upload(api.client("admin"), "latin.csv", "entity,period\né,2024\n".encode("latin-1"))
    assert latin.status_code == 400 and "UTF-8" in latin.json()["error"]["message"]


def test_a_reporter_importing_another_entitys_rows_gets_404_and_nothing_is_written(api):
    content = csv_bytes(
        [("SMELT", "2024", REO, "5000", "", ""), ("METAL", "2024", REO, "1", "", "")]
    )
    before = api.client("admin").get("/api/v1/audit").json()["total"]
    response = upload(api.client("smelt"), "mixed.csv", content)
    assert response.status_code == 404
    assert "METAL (row 3)" in response.json()["error"]["message"]
    assert api.client("admin").get("/api/v1/audit").json()["total"] == before
    assert upload(api.client("metal"), "mixed.csv", content).status_code == 404
    assert upload(api.client("manager"), "mixed.csv", content).status_code == 200


def test_the_auditor_cannot_upload(api):
    content = csv_bytes([("SMELT", "2024", REO, "5000", "", "")])
    assert upload(api.client("auditor"), "a.csv", content).status_code == 403


def test_observations_filter_by_status_and_period(api):
    api.save("SMELT", "2024-01", {GAS: "10"}, submit=True)
    api.save("SMELT", "2024-02", {GAS: "11"})
    api.save("SMELT", "2023", {GAS: "100"})
    client = api.client("manager")
    in_2024 = client.get("/api/v1/observations", params={"period": "2024"}).json()
    assert sorted(o["period"] for o in in_2024["items"]) == ["2024-01", "2024-02"]
    drafts = client.get("/api/v1/observations", params={"status": "draft"}).json()
    assert sorted(o["period"] for o in drafts["items"]) == ["2023", "2024-02"]
    wrong = client.get("/api/v1/observations", params={"status": "done"})
    assert wrong.status_code == 422


def test_observation_pages_are_cut_and_counted_by_the_database(api):
    for month in range(1, 6):
        api.save("SMELT", f"2024-{month:02d}", {GAS: str(month)})
    body = {"entity": "SMELT", "period": "2024-03", "indicator": GAS, "reason": "double entry"}
    assert api.client("admin").post("/api/v1/observations/delete", json=body).status_code == 200
    client = api.client("manager")
    page = client.get("/api/v1/observations", params={"limit": 2, "offset": 1}).json()
    # four current observations remain (March was deleted), in period order
    assert page["total"] == 4
    assert [o["period"] for o in page["items"]] == ["2024-02", "2024-04"]
    last = client.get("/api/v1/observations", params={"limit": 2, "offset": 3}).json()
    assert [o["period"] for o in last["items"]] == ["2024-05"] and last["total"] == 4
    none = client.get("/api/v1/observations", params={"status": "approved"}).json()
    assert none == {"items": [], "total": 0, "limit": 100, "offset": 0}


def test_an_import_with_an_impossible_year_is_a_422_not_a_server_error(api):
    content = csv_bytes([("SMELT", "9999", REO, "1", "", ""), ("SMELT", "0000", REO, "1", "", "")])
    assert upload(api.client("admin"), "years.csv", content).status_code == 422


def test_a_page_past_the_end_of_the_observations_is_empty(api):
    api.save("SMELT", "2024", {GAS: "10"})
    client = api.client("manager")
    for offset in (1, 10**20):  # also past any 64-bit integer the database could take
        page = client.get("/api/v1/observations", params={"offset": offset}).json()
        assert page["items"] == [] and page["total"] == 1
