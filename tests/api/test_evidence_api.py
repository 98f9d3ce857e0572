"""Evidence over the API: attach, list, download re-hashed, detach; by role."""

from __future__ import annotations

import hashlib

from esgledger.ledger.blobs import FolderBlobs
from esgledger.settings import files_folder
from tests.api.conftest import REO
from tests.evidence.helpers import pdf_bytes, zip_bytes


def attach(api, who, data=None, name="invoice.pdf", entity="SMELT"):
    return api.client(who).post(
        "/api/v1/evidence/value",
        data={"entity": entity, "period": "2024", "indicator": REO},
        files={"file": (name, data or pdf_bytes(), "application/pdf")},
    )


def test_a_file_is_attached_listed_downloaded_and_detached(api):
    api.save("SMELT", "2024", {REO: "120"})
    answer = attach(api, "smelt")
    assert answer.status_code == 201, answer.text
    link = answer.json()
    assert (link["target"], link["entity"], link["revision_id"]) == ("value", "SMELT", 1)
    listed = api.client("auditor").get("/api/v1/evidence", params={"year": "2024"}).json()
    assert [item["key"] for item in listed] == [link["key"]]
    assert api.client("metal").get("/api/v1/evidence").json() == []
    download = api.client("auditor").get(link["href"])
    assert download.content == pdf_bytes() and download.headers["content-type"] == "application/pdf"
    assert api.client("metal").get(link["href"]).status_code == 404
    gone = api.client("auditor").post("/api/v1/evidence/detach", json={"key": link["key"]})
    assert gone.status_code == 403
    gone = api.client("smelt").post("/api/v1/evidence/detach", json={"key": link["key"]})
    assert gone.status_code == 204
    assert api.client("auditor").get("/api/v1/evidence").json() == []


def test_refusals_are_coded_and_in_the_callers_language(api):
    api.save("SMELT", "2024", {REO: "120"})
    refused = api.client("smelt").post(
        "/api/v1/evidence/value",
        data={"entity": "SMELT", "period": "2024", "indicator": REO},
        files={"file": ("invoice.pdf", zip_bytes(), "application/pdf")},
        headers={"Accept-Language": "zh-CN"},
    )
    assert refused.status_code in (400, 422)
    assert "invoice.pdf" in refused.text and "不是允许的证据文件" in refused.text
    assert attach(api, "metal").status_code in (400, 403)
    assert attach(api, "auditor").status_code == 403


def test_a_changed_file_is_not_served(api):
    api.save("SMELT", "2024", {REO: "120"})
    link = attach(api, "smelt").json()
    store = FolderBlobs(files_folder(api.app.state.settings))
    store.path(hashlib.sha256(pdf_bytes()).hexdigest()).write_bytes(b"%PDF-1.4 forged")
    answer = api.client("auditor").get(link["href"])
    assert answer.status_code == 400 and "changed on disk" in answer.text
