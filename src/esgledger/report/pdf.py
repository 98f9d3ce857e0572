"""HTML to PDF with WeasyPrint, after making sure Chinese text has a font to be set in.

Without a CJK font WeasyPrint still writes a PDF, with empty boxes where the Chinese
characters should be; nobody would notice until the report is printed. So the build looks
for one first (fontconfig's ``fc-list :lang=zh``) and says what to install when there is
none.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from esgledger.errors import ErrorKind, EsgError
from esgledger.report.datablock import ELEMENT_ID, PDF_ATTACHMENT

_PAYLOAD = re.compile(
    rf'<script type="application/json" id="{ELEMENT_ID}">(.*?)</script>', re.DOTALL
)

INSTALL_HINT = (
    "install a CJK font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu) or the "
    "Noto Sans CJK SC font from your system's font manager"
)


@cache
def cjk_font_problem() -> str | None:
    """None when fontconfig knows a Chinese font, else a message saying what to install."""
    if shutil.which("fc-list") is None:
        return (
            "cannot check for a Chinese font: fontconfig's `fc-list` is not installed; if the "
            f"PDF shows empty boxes, {INSTALL_HINT}"
        )
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return (
            f"cannot run `fc-list` to check for a Chinese font; if the PDF shows boxes, "
            f"{INSTALL_HINT}"
        )
    if not found.strip():
        return (
            "no Chinese (CJK) font found: the Chinese text of the PDF would be empty boxes; "
            + INSTALL_HINT
        )
    return None  # Noto CJK or another CJK font: the CSS font stacks end in sans-serif


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (print stylesheet, paged media).

    The report's data block travels inside the PDF as an attached file, so that a PDF can
    be verified on its own, like the HTML and the XLSX.
    """
    from weasyprint import HTML, Attachment  # imported here: loading pango takes a moment

    _quiet_weasyprint()
    attachments = []
    if found := _PAYLOAD.search(html):
        data = Attachment(
            string=found.group(1),
            name=PDF_ATTACHMENT,
            description="esgledger report data: what `esgledger report verify` checks",
            relationship="Data",
        )
        attachments.append(data)
    return HTML(string=html, base_url=None).write_pdf(attachments=attachments)


def pdfs_in_parallel(documents: Sequence[str]) -> list[bytes]:
    """PDFs of several HTML documents, laid out side by side in worker processes.

    WeasyPrint is pure Python and holds the GIL, so each language gets its own process. A
    plain ``python -m esgledger.report.pdf`` child (HTML on stdin, PDF on stdout) imports
    WeasyPrint and nothing else; multiprocessing would re-import the caller's main module
    (the whole CLI) in every worker first.
    """
    if len(documents) < 2 or (os.cpu_count() or 1) < 2 or not sys.executable:
        return [html_to_pdf(document) for document in documents]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "esgledger.report.pdf"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in documents
    ]
    with ThreadPoolExecutor(max_workers=len(workers)) as pool:
        answers = list(
            pool.map(
                lambda pair: pair[0].communicate(pair[1].encode("utf-8")),
                zip(workers, documents, strict=True),
            )
        )
    return [
        _pdf(worker.returncode, out, err, number)
        for number, (worker, (out, err)) in enumerate(zip(workers, answers, strict=True), 1)
    ]


def _pdf(code: int, out: bytes, err: bytes, number: int) -> bytes:
    if code != 0:
        tail = err.decode("utf-8", "replace")[-2000:]
        raise EsgError(
            f"the PDF worker for document {number} failed (exit {code}): {tail}",
            kind=ErrorKind.BUG,
        )
    return out


def _quiet_weasyprint() -> None:
    """WeasyPrint logs every CSS property it ignores; the report's screen rules are expected."""
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":  # the worker of pdfs_in_parallel
    sys.stdout.buffer.write(html_to_pdf(sys.stdin.buffer.read().decode("utf-8")))
