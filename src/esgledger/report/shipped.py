"""esgledger's own report sections and output formats, registered as a plugin.

The sections are those of the shipped layout (``data/report.yaml``), each with its
template; registering them keeps a plugin from taking one of their ids. The formats are
the HTML document, the PDF printed from it, and the XLSX data annex.
"""

from __future__ import annotations

from esgledger.plugins import hookimpl
from esgledger.report.annex import annex_bytes
from esgledger.report.config import PACKAGE_DIR, read_layout
from esgledger.report.formats import ReportDocument, ReportFormat
from esgledger.report.payload import build_payload
from esgledger.report.pdf import html_to_pdf
from esgledger.report.sections import ReportSection


def _html(document: ReportDocument) -> bytes:
    return document.html.encode("utf-8")


def _pdf(document: ReportDocument) -> bytes:
    return html_to_pdf(document.html)


def _xlsx(document: ReportDocument) -> bytes:
    payload = build_payload(document.facts, document.lang)
    return annex_bytes(document.facts, document.strings, document.catalog, payload)


@hookimpl
def esgledger_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat("html", "the report as one HTML page", "text/html; charset=utf-8", _html),
        ReportFormat("pdf", "the report printed to PDF (WeasyPrint)", "application/pdf", _pdf),
        ReportFormat(
            "xlsx",
            "the data annex: every printed value with its lineage",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _xlsx,
        ),
    ]


@hookimpl
def esgledger_report_sections() -> list[ReportSection]:
    layout = read_layout(PACKAGE_DIR / "data" / "report.yaml")
    templates = PACKAGE_DIR / "templates"
    return [
        ReportSection(
            s.id, templates / s.template, s.title, numbered=s.numbered, appendix=s.appendix
        )
        for s in layout.sections
    ]
