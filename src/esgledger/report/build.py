"""Build the yearly report: one calculation, then HTML, PDF, XLSX (and any format a
plugin adds) in each language.

The ledger is read (and the snapshot recorded) in one short unit of work; rendering, which
takes most of the time, happens after it is committed, so a report build never holds the
ledger's write lock while WeasyPrint lays out pages.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.report.config import LANGUAGES, ReportConfig, load_config
from esgledger.report.facts import ReportFacts
from esgledger.report.formats import ReportDocument, report_formats, write_format
from esgledger.report.inputs import BuildInputs
from esgledger.report.pdf import cjk_font_problem, pdfs_in_parallel
from esgledger.report.prepare import ReportRequest, prepare

FORMATS = ("html", "pdf", "xlsx")  # what a build writes unless told otherwise


def format_names() -> tuple[str, ...]:
    """Every format a build can write: esgledger's and plugins'."""
    return tuple(report_formats())


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, what the reader should know, and what it pinned."""

    paths: tuple[Path, ...]
    warnings: tuple[str, ...]
    snapshot_id: int
    snapshot_hash: str
    seconds: float


def report_stem(year: int, lang: str) -> str:
    return f"esg-report-{year}-{lang}"


def build_report(
    database: Engine,
    catalog: Catalog,
    request: ReportRequest,
    out_dir: Path,
    *,
    langs: Sequence[str] = LANGUAGES,
    formats: Sequence[str] = FORMATS,
    config_path: Path | None = None,
    templates: Path | None = None,
) -> BuildResult:
    """Compute the snapshot once and write every (language, format) file into ``out_dir``."""
    started = time.perf_counter()
    _check_choices(langs, formats)
    config = load_config(config_path)
    with unit_of_work(database) as session:
        facts = prepare(session, catalog, request, config)
    facts.inputs = BuildInputs(
        config_path, templates, request.targets_file, request.published_file
    ).record()
    warnings = []
    if "pdf" in formats and (problem := cjk_font_problem()):
        warnings.append(problem)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        lang: render_outputs(facts, config, lang, formats, catalog, templates, pdf=False)
        for lang in langs
    }
    if "pdf" in formats:
        documents = [outputs[lang]["html"].decode("utf-8") for lang in langs]
        for lang, pdf in zip(langs, pdfs_in_parallel(documents), strict=True):
            outputs[lang]["pdf"] = pdf
    paths = [
        _write(out_dir / f"{report_stem(facts.year, lang)}.{fmt}", content)
        for lang in langs
        for fmt, content in sorted(outputs[lang].items())
        if fmt in formats
    ]
    seconds = time.perf_counter() - started
    return BuildResult(
        tuple(paths), tuple(warnings), facts.snapshot_id, facts.snapshot_hash, seconds
    )


def render_outputs(
    facts: ReportFacts,
    config: ReportConfig,
    lang: str,
    formats: Sequence[str],
    catalog: Catalog,
    templates: Path | None = None,
    *,
    pdf: bool = True,
) -> dict[str, bytes]:
    """The report's files in one language as bytes, by format (for the CLI and the web UI).

    With ``pdf=False`` the HTML is returned even when only a PDF was asked for, so that the
    caller can convert several languages at once (:func:`pdfs_in_parallel`).
    """
    annex_name = f"{report_stem(facts.year, lang)}.xlsx" if "xlsx" in formats else ""
    document = ReportDocument(facts, config, lang, catalog, templates, annex_name)
    outputs: dict[str, bytes] = {}
    for name in formats:
        if name == "pdf" and not pdf:
            outputs["html"] = document.html.encode("utf-8")  # the caller prints it
        else:
            outputs[name] = write_format(name, document)
    return outputs


def _check_choices(langs: Sequence[str], formats: Sequence[str]) -> None:
    known = format_names()
    bad_langs = [lang for lang in langs if lang not in LANGUAGES]
    bad_formats = [fmt for fmt in formats if fmt not in known]
    if bad_langs or bad_formats or not langs or not formats:
        raise EsgError.coded(
            "report_build.choices",
            langs=", ".join(LANGUAGES),
            formats=", ".join(known),
            got_langs=", ".join(langs) or "-",
            got_formats=", ".join(formats) or "-",
        )


def _write(path: Path, content: bytes) -> Path:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return path
