"""Error files kept on the server between a refused upload and their download.

The upload itself is gone when the request ends (``imports/upload.py``), so the web page's
error file is written under the files folder as ``import-errors/<token>.xlsx`` with its
owner beside it: the token is 32 random bytes, and only the user who uploaded may fetch it.
Files older than a day are removed whenever another is kept. Nothing goes into the ledger:
a refused upload leaves no trace there.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

FOLDER = "import-errors"
KEPT_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def keep_error_file(files_folder: Path, owner: str, content: bytes) -> str:
    """Store ``content`` for ``owner``; returns the token that names it."""
    folder = files_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder, time.time() - KEPT_SECONDS)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.owner").write_text(owner, encoding="utf-8")
    (folder / f"{token}.xlsx").write_bytes(content)
    return token


def kept_error_file(files_folder: Path, owner: str, token: str) -> bytes | None:
    """The error file ``token`` names if ``owner`` uploaded it and it is still kept."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = files_folder / FOLDER
    owner_file, content = folder / f"{token}.owner", folder / f"{token}.xlsx"
    if not owner_file.is_file() or not content.is_file():
        return None
    if owner_file.read_text(encoding="utf-8") != owner:
        return None
    return content.read_bytes()


def _prune(folder: Path, before: float) -> None:
    for path in folder.iterdir():
        if path.suffix in (".xlsx", ".owner") and path.stat().st_mtime < before:
            path.unlink(missing_ok=True)
