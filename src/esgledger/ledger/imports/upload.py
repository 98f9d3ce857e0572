"""Keep an uploaded file on the server just long enough to read it, whatever its name and size.

The name comes from the client: ``..``, ``a/../../etc/passwd``, a NUL byte or a name of
10,000 characters must neither reach outside the upload folder nor crash the request.
The body is copied in chunks and the copy stops as soon as it passes the size limit.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from esgledger.ledger.imports.limits import ImportLimits, require_size
from esgledger.ledger.imports.rows import ImportFileError

CHUNK = 1 << 20
MAX_NAME = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def upload_name(filename: str | None) -> str:
    """The upload's base name with nothing that could name another folder or hide the file.

    >>> upload_name("C:\\\\Users\\\\li\\\\data.csv"), upload_name("../../etc/x.csv")
    ('data.csv', 'x.csv')
    >>> upload_name(".."), upload_name(None)
    ('', '')
    """
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > MAX_NAME:
        base = f"{stem[: MAX_NAME - len(suffix) - 1]}.{suffix[:10]}"
    return base[:MAX_NAME]


@contextmanager
def saved_upload(stream: BinaryIO, filename: str | None, limits: ImportLimits) -> Iterator[Path]:
    """The upload written to a private temporary folder, removed when the block ends.

    Raises:
        ImportFileError: the name is empty or names no file (``..``, ``/``).
        ImportTooLarge: the body is larger than ``limits.max_bytes``.
    """
    name = upload_name(filename)
    if not name or "." not in name:
        raise ImportFileError.coded("import.file.bad_name", name=(filename or "")[:MAX_NAME])
    with tempfile.TemporaryDirectory(prefix="esgledger-upload-") as folder:
        path = Path(folder) / name
        written = 0
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                require_size(limits, name, written, whole=False)  # stop at the first MB too many
                out.write(chunk)
        yield path
