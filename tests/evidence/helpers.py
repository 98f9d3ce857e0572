"""Files and people for the evidence tests: real PDF, PNG, XLSX, ZIP and EXE bytes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from PIL import Image

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.evidence.attach import Upload
from esgledger.evidence.types import allowed_types

ALLOWED = allowed_types(["pdf", "jpeg", "png", "webp", "xlsx"])
MANAGER = Principal(1, "zhang.manager", Role.GROUP_MANAGER, None)
SMELT_REPORTER = Principal(3, "wang.smelt", Role.REPORTER, frozenset({"SMELT"}))
AUDITOR = Principal(4, "chen.audit", Role.AUDITOR, None)
REO = "production.reo_output"


def pdf_bytes(text: str = "invoice 2024-0042") -> bytes:
    """A minimal, valid one-page PDF (what a scanner or an export writes, by structure)."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    )
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["meter", "kWh"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("invoice.txt", "not a pdf")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(data: bytes, name: str = "invoice.pdf", max_bytes: int = 1 << 20) -> Upload:
    return Upload(name=name, data=data, allowed=ALLOWED, max_bytes=max_bytes)
