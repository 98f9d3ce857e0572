"""The two file stores behind one interface, each against a real server or folder.

The S3 store is tested against moto's standalone server (``ThreadedMotoServer``): a real
HTTP server speaking the S3 protocol, started in this process. It is an S3 emulator, not
AWS or MinIO; what it shows is that esgledger's requests are well-formed S3 and that
evidence round-trips through HTTP, not how a given provider behaves.
"""

from __future__ import annotations

import hashlib
import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from esgledger.errors import EsgError
from esgledger.evidence.attach import attach_to_value, open_evidence
from esgledger.ledger import files
from esgledger.ledger.blobs import BlobMissing, FolderBlobs, S3Blobs, blob_store
from esgledger.ledger.database import unit_of_work
from esgledger.settings import load_settings
from tests.evidence.helpers import AUDITOR, MANAGER, REO, pdf_bytes, png_bytes, upload
from tests.evidence.test_attach import valued  # noqa: F401 - the fixture

BUCKET = "esg-evidence"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint, tmp_path):
    bucket = f"{BUCKET}-{hashlib.sha256(str(tmp_path).encode()).hexdigest()[:8]}"
    settings = load_settings(
        db=f"sqlite:///{tmp_path / 'ledger.db'}",
        files_url=f"s3://{bucket}/tenant-a/evidence",
        files_s3_endpoint=s3_endpoint,
        files_s3_region="us-east-1",
        files_s3_access_key="testing",
        files_s3_secret_key="testing",
    )
    raw = client(settings)
    raw.create_bucket(Bucket=bucket)
    return settings


def client(settings):
    return boto3.client(
        "s3",
        endpoint_url=settings.files_s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_the_settings_choose_the_folder_by_default_and_s3_by_url(tmp_path, s3_settings):
    folder = blob_store(load_settings(files_dir=tmp_path / "f"))
    assert isinstance(folder, FolderBlobs) and folder.root == tmp_path / "f"
    s3 = blob_store(s3_settings)
    assert isinstance(s3, S3Blobs) and s3.prefix == "tenant-a/evidence"
    with pytest.raises(EsgError) as raised:
        blob_store(load_settings(files_url="ftp://somewhere/x"))
    assert raised.value.code == "evidence_file.bad_url"


def test_bytes_round_trip_through_the_s3_server_under_their_hash(s3_settings):
    store = blob_store(s3_settings)
    data = pdf_bytes()
    digest = hashlib.sha256(data).hexdigest()
    store.put(digest, data)
    store.put(digest, data)  # a second put of the same name keeps the first copy
    raw = client(s3_settings)
    bucket = s3_settings.files_url.split("/")[2]
    listed = raw.list_objects_v2(Bucket=bucket)["Contents"]
    key = f"tenant-a/evidence/{digest[:2]}/{digest[2:4]}/{digest}"
    assert [item["Key"] for item in listed] == [key]
    assert raw.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert store.get(digest) == data
    with pytest.raises(BlobMissing):
        store.get("0" * 64)


@pytest.mark.parametrize("backend", ["folder", "s3"])
def test_evidence_is_attached_and_read_back_through_either_store(
    valued,  # noqa: F811
    tmp_path,
    s3_settings,
    backend,
):
    store = FolderBlobs(tmp_path / "files") if backend == "folder" else blob_store(s3_settings)
    with unit_of_work(valued) as session:
        link = attach_to_value(session, store, MANAGER, upload(pdf_bytes()), entity="SMELT",
                               period="2024", indicator=REO)  # fmt: skip
    with unit_of_work(valued) as session:
        assert open_evidence(session, store, AUDITOR, link.key)[2] == pdf_bytes()


def test_an_object_changed_in_the_bucket_is_reported_not_served(valued, s3_settings):  # noqa: F811
    store = blob_store(s3_settings)
    with unit_of_work(valued) as session:
        info = files.store_file(session, store, png_bytes(), name="meter.png", actor="li",
                                max_bytes=1 << 20)  # fmt: skip
    bucket = s3_settings.files_url.split("/")[2]
    client(s3_settings).put_object(Bucket=bucket, Key=store.key(info.sha256), Body=b"swapped")
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        files.read_file(session, store, info.sha256)
    assert raised.value.code == "stored_file.changed"
    client(s3_settings).delete_object(Bucket=bucket, Key=store.key(info.sha256))
    with unit_of_work(valued) as session, pytest.raises(EsgError) as raised:
        files.read_file(session, store, info.sha256)
    assert raised.value.code == "stored_file.missing" and "s3://" in raised.value.text("en")
