"""Evidence on the pages: attach from the entry form and after an import, list it in
history, explain and the evidence page, download it whole and re-hashed, by role."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

import boto3
import pytest

from esgledger.ledger import files
from esgledger.ledger.blobs import FolderBlobs, blob_store
from esgledger.ledger.database import unit_of_work
from esgledger.settings import files_folder
from tests.evidence.helpers import EXE, pdf_bytes, png_bytes, zip_bytes
from tests.evidence.test_blobs import s3_endpoint  # noqa: F401 - the fixture
from tests.web.conftest import csrf_of

FORM = "/entry/SMELT/2023-01"
ELECTRICITY = "energy.purchased_electricity"
HISTORY = f"/observations/SMELT/2023-01/{ELECTRICITY}"
FILE_LINK = re.compile(r'href="(/evidence/file\?key=[^"]+)"')


def attach(client, data, name, entity="SMELT", indicator=ELECTRICITY):
    page = client.get(f"/entry/{entity}/2023-01")
    return client.post(
        f"/entry/{entity}/2023-01/evidence",
        data={"csrf_token": csrf_of(page.text), "indicator": indicator},
        files={"evidence_file": (name, data, "application/pdf")},
        follow_redirects=False,
    )


def file_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in FILE_LINK.findall(html)]


def test_a_reporter_attaches_a_pdf_on_the_form_and_anyone_who_may_see_downloads_it(client_for):
    reporter = client_for("reporter")
    answer = attach(reporter, pdf_bytes(), "电费发票 2023-01.pdf")
    assert answer.status_code == 303 and "done=attached" in answer.headers["location"]
    form = reporter.get(FORM).text
    assert "电费发票 2023-01.pdf" in form
    for who in ("reporter", "auditor", "manager"):
        client = client_for(who) if who != "reporter" else reporter
        history = client.get(HISTORY).text
        [link] = file_links(history)
        download = client.get(link)
        assert download.status_code == 200 and download.content == pdf_bytes()
        assert download.headers["content-type"] == "application/pdf"
        disposition = download.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == "电费发票 2023-01.pdf"


@pytest.mark.parametrize("data", [zip_bytes(), EXE], ids=["zip", "exe"])
@pytest.mark.parametrize(
    "lang,says", [("en", "not an allowed evidence file"), ("zh", "不是允许的证据文件")]
)
def test_a_renamed_archive_or_program_is_refused_on_the_form_in_both_languages(
    client_for, data, lang, says
):
    reporter = client_for("reporter")
    reporter.cookies.set("lang", lang)
    answer = attach(reporter, data, "invoice.pdf")
    assert answer.status_code == 422
    assert says in answer.text and "invoice.pdf" in answer.text
    assert file_links(reporter.get(HISTORY).text) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_named(app, client_for):
    app.state.settings = app.state.settings.model_copy(update={"file_max_bytes": 1000})
    answer = attach(client_for("manager"), png_bytes() + b"\0" * 2000, "meter.png")
    assert answer.status_code == 422 and "over the limit" in answer.text


def test_an_auditor_cannot_attach_and_a_reporter_cannot_attach_to_another_entity(client_for):
    assert attach(client_for("auditor"), pdf_bytes(), "a.pdf").status_code == 403
    reporter = client_for("reporter")
    page = reporter.get(FORM)
    answer = reporter.post(
        "/entry/METAL/2023-01/evidence",
        data={"csrf_token": csrf_of(page.text), "indicator": ELECTRICITY},
        files={"evidence_file": ("a.pdf", pdf_bytes(), "application/pdf")},
    )
    assert answer.status_code == 404


def test_a_reporter_cannot_download_another_entitys_evidence(client_for):
    manager = client_for("manager")
    attach(manager, pdf_bytes(), "metal.pdf", entity="METAL")
    [link] = file_links(manager.get(f"/observations/METAL/2023-01/{ELECTRICITY}").text)
    assert client_for("reporter").get(link).status_code == 404
    assert client_for("auditor").get(link).status_code == 200
    assert "metal.pdf" not in client_for("reporter").get("/evidence").text
    assert "metal.pdf" in client_for("auditor").get("/evidence").text


def test_a_tampered_file_is_refused_on_download_with_a_clear_message(app, client_for):
    manager = client_for("manager")
    attach(manager, pdf_bytes(), "invoice.pdf")
    [link] = file_links(manager.get(HISTORY).text)
    digest = hashlib.sha256(pdf_bytes()).hexdigest()
    FolderBlobs(files_folder(app.state.settings)).path(digest).write_bytes(b"%PDF-1.4 forged")
    answer = manager.get(link)
    assert answer.status_code == 400 and answer.content != pdf_bytes()
    assert "changed on disk" in answer.text


def test_removing_evidence_retires_it_with_a_reason(client_for):
    manager = client_for("manager")
    attach(manager, pdf_bytes(), "invoice.pdf")
    history = manager.get(HISTORY).text
    key = re.search(r'name="key" value="([^"]+)"', history)[1]
    answer = manager.post(
        "/evidence/detach",
        data={
            "csrf_token": csrf_of(history),
            "key": key,
            "reason": "wrong month",
            "next": HISTORY,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == HISTORY
    assert file_links(manager.get(HISTORY).text) == []
    assert client_for("auditor").post("/evidence/detach", data={"key": key}).status_code == 403


def import_meters(client) -> tuple[str, str]:
    """Import January's electricity from a CSV: the import's id, and where the form went."""
    page = client.get(FORM)
    csv = f"entity,period,indicator,value,unit\nSMELT,2023-01,{ELECTRICITY},1100,MWh\n"
    imported = client.post(
        f"{FORM}/upload",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("meters.csv", csv.encode(), "text/csv")},
        follow_redirects=False,
    )
    location = imported.headers["location"]
    return re.search(r"import_id=(\d+)", location)[1], location


def test_evidence_for_an_import_is_offered_after_the_import_and_shown_in_history(client_for):
    manager = client_for("manager")
    import_id, location = import_meters(manager)
    offer = manager.get(location).text
    assert f"/imports/{import_id}/evidence" in offer
    answer = manager.post(
        f"{FORM}/imports/{import_id}/evidence",
        data={"csrf_token": csrf_of(offer)},
        files={"evidence_file": ("readings.png", png_bytes(), "image/png")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    history = manager.get(HISTORY).text
    assert "readings.png" in history and f"#{import_id}" in history


def test_evidence_reaches_an_import_later_from_the_history_of_a_value_it_wrote(client_for):
    manager = client_for("manager")
    import_id, _ = import_meters(manager)
    link = f"{FORM}?import_id={import_id}#import-evidence"
    assert f'href="{link}"' in manager.get(HISTORY).text  # days later, from the value's history
    offer = manager.get(link).text
    answer = manager.post(
        f"{FORM}/imports/{import_id}/evidence",
        data={"csrf_token": csrf_of(offer)},
        files={"evidence_file": ("readings.png", png_bytes(), "image/png")},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "readings.png" in manager.get(HISTORY).text
    assert 'data-test="attach-to-import"' not in client_for("auditor").get(HISTORY).text


def test_the_explain_page_lists_the_evidence_behind_its_observations(client_for):
    manager = client_for("manager")
    attach(manager, pdf_bytes(), "invoice.pdf")
    page = manager.get(
        "/explain", params={"indicator": "ghg.scope2_location", "code": "SMELT", "period": "2023"}
    )
    assert page.status_code == 200
    assert "invoice.pdf" in page.text, "the explain page does not show the evidence"


def test_with_s3_configured_evidence_and_safety_photos_go_through_the_bucket(
    app,
    client_for,
    s3_endpoint,  # noqa: F811
):
    """ESGLEDGER_FILES_URL switches every stored file to the bucket: evidence attached on
    the form, and the safety pages' stored files (served by /safety/files/...)."""
    app.state.settings = app.state.settings.model_copy(
        update={
            "files_url": "s3://web-evidence/esg",
            "files_s3_endpoint": s3_endpoint,
            "files_s3_region": "us-east-1",
            "files_s3_access_key": "testing",
            "files_s3_secret_key": "testing",
        }
    )
    raw = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    raw.create_bucket(Bucket="web-evidence")
    manager = client_for("manager")
    assert attach(manager, pdf_bytes(), "invoice.pdf").status_code == 303
    [link] = file_links(manager.get(HISTORY).text)
    assert manager.get(link).content == pdf_bytes()
    digest = hashlib.sha256(pdf_bytes()).hexdigest()
    assert raw.head_object(Bucket="web-evidence", Key=f"esg/{digest[:2]}/{digest[2:4]}/{digest}")
    assert not files_folder(app.state.settings).exists()
    with unit_of_work(app.state.database) as session:
        photo = files.store_file(session, blob_store(app.state.settings), png_bytes(),
                                 name="hazard.png", actor="manager", max_bytes=1 << 20)  # fmt: skip
    assert manager.get(f"/safety/files/{photo.sha256}").content == png_bytes()
