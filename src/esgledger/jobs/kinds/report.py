"""Build the disclosure report outside the request: the web page and the API queue this
job and show its progress; the files it builds are kept as stored files (ledger/files.py,
content-addressed and audited), so the job's result is their hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from esgledger.jobs.context import JobContext
from esgledger.jobs.kinds import JobKind


class ReportParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1990, le=2100)
    lang: Literal["en", "zh"] = "zh"
    formats: list[Literal["html", "pdf", "xlsx"]] = Field(default=["html"], min_length=1)


def run(context: JobContext, params: ReportParams) -> dict[str, Any]:
    from esgledger.catalog import load_catalog
    from esgledger.ledger.database import unit_of_work
    from esgledger.report import load_config, render_outputs
    from esgledger.report.inputs import BuildInputs
    from esgledger.report.prepare import prepare

    steps = 2 + len(params.formats)
    context.progress(0, steps, "reading the approved values")
    catalog, config = load_catalog(), load_config(None)
    request = _request(context, params.year)
    with unit_of_work(context.database()) as session:
        facts = prepare(session, catalog, request, config)
    facts.inputs = BuildInputs(targets=request.targets_file).record()
    outputs = {}
    for done, fmt in enumerate(params.formats, start=1):
        context.progress(done, steps, f"writing the {fmt.upper()} file")
        outputs |= render_outputs(facts, config, params.lang, [fmt], catalog)
    context.progress(steps - 1, steps, "keeping the files")
    files = _keep(context, params, outputs)
    return {"snapshot_id": facts.snapshot_id, "files": files}


def _request(context: JobContext, year: int):
    from esgledger.report import ReportRequest

    settings = context.settings
    targets = Path(settings.targets) if settings.targets else None
    return ReportRequest(
        year=year,
        factor_files=tuple(Path(f) for f in settings.factor_files),
        author=context.requested_by,
        targets_file=targets if targets and targets.is_file() else None,
        timezone=settings.timezone,
    )


def _keep(context: JobContext, params: ReportParams, outputs: dict[str, bytes]) -> list[dict]:
    from esgledger.ledger.blobs import blob_store
    from esgledger.ledger.database import unit_of_work
    from esgledger.ledger.files import REPORT_TYPES, store_file
    from esgledger.report.build import report_stem

    root, kept = blob_store(context.settings), []
    with unit_of_work(context.database()) as session:
        for fmt, content in outputs.items():
            name = f"{report_stem(params.year, params.lang)}.{fmt}"
            info = store_file(
                session,
                root,
                content,
                name=name,
                actor=context.requested_by,
                max_bytes=max(context.settings.file_max_bytes, len(content)),
                allowed=REPORT_TYPES,
            )
            kept.append({"format": fmt, "name": name, "sha256": info.sha256, "size": info.size})
    return kept


KIND = JobKind("report", ReportParams, run, reviewers_only=True)
