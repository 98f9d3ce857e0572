"""Where the bytes of stored files live: a folder (the default) or S3-compatible storage.

:mod:`esgledger.ledger.files` names each file by its SHA-256 and asks a :class:`BlobStore`
to keep and return the bytes; what a file is and who stored it stay in the ledger either
way. Two stores exist behind that small interface: :class:`FolderBlobs` (a folder beside
the ledger, ``ab/cd/abcd...``) and :class:`S3Blobs` (an S3 bucket and prefix, any
S3-compatible service: AWS, MinIO, Ceph; tested against an S3 emulator).
:func:`blob_store` picks one from the settings (``ESGLEDGER_FILES_URL``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlparse

from esgledger.errors import EsgError
from esgledger.settings import Settings, files_folder


class BlobMissing(Exception):
    """The store holds no bytes under that name."""


@runtime_checkable
class BlobStore(Protocol):
    """Bytes kept under their SHA-256; writing the same name twice keeps the first copy."""

    def put(self, sha256: str, data: bytes) -> None: ...

    def get(self, sha256: str) -> bytes:
        """The bytes; :class:`BlobMissing` when there are none."""
        ...

    def where(self) -> str:
        """The store as a person names it (a folder, an s3:// URL), for error messages."""
        ...


class FolderBlobs:
    """Files in a folder, two levels of hash prefixes so no folder grows huge."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        """Write atomically (a temporary file renamed into place): no reader sees half a file."""
        path = self.path(sha256)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def where(self) -> str:
        return str(self.root)


class S3Blobs:
    """Objects ``<prefix>/ab/cd/abcd...`` in one bucket of an S3-compatible service.

    An object is written whole by one PUT (S3 has no half-written objects), after a HEAD
    shows it absent: content-addressed bytes never need overwriting.
    """

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def key(self, sha256: str) -> str:
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, sha256: str, data: bytes) -> None:
        if not self._exists(sha256):
            self.client.put_object(Bucket=self.bucket, Key=self.key(sha256), Body=data)

    def get(self, sha256: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.NoSuchKey:
            raise BlobMissing(sha256) from None
        return answer["Body"].read()

    def where(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def _exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def blob_store(settings: Settings) -> BlobStore:
    """The store the settings name: ``files_url`` s3://bucket/prefix, else the files folder."""
    url = settings.files_url
    if not url:
        return FolderBlobs(files_folder(settings))
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise EsgError.coded("evidence_file.bad_url", url=url)
    return S3Blobs(_s3_client(settings), parsed.netloc, parsed.path)


def _s3_client(settings: Settings) -> Any:
    """A boto3 client for the configured endpoint (None: AWS itself) and credentials
    (None: boto3's own chain, e.g. an instance role)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise EsgError.coded("evidence_file.no_s3_client") from None

    return boto3.client(
        "s3",
        endpoint_url=settings.files_s3_endpoint,
        region_name=settings.files_s3_region,
        aws_access_key_id=settings.files_s3_access_key,
        aws_secret_access_key=settings.files_s3_secret_key,
        config=Config(retries={"max_attempts": 3, "mode": "standard"}),
    )
