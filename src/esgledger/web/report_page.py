"""The disclosure report from the web UI: a group manager picks year, language and format.

The file is built by the same code as `esgledger report build` (prepare, then render)
and sent as a download. Building takes a snapshot of the approved values, which is a
write, so only reviewers (group managers and admins) may do it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

from esgledger.api.deps import Reviewer
from esgledger.errors import EsgError
from esgledger.ledger.calendar import reporting_years
from esgledger.report import LANGUAGES, ReportRequest, load_config, render_outputs
from esgledger.report.build import report_stem
from esgledger.report.formats import report_formats
from esgledger.report.inputs import BuildInputs
from esgledger.report.prepare import prepare
from esgledger.web.access import PostedForm
from esgledger.web.plan_sources import configured_targets
from esgledger.web.render import Env

router = APIRouter()


@router.get("/report", response_class=HTMLResponse)
def report_form(env: Env, principal: Reviewer) -> HTMLResponse:
    """The choice of year, language and format."""
    years = sorted(reporting_years(env.session), reverse=True)
    return env.render("report.html", years=years, langs=LANGUAGES, formats=list(report_formats()))


@router.post("/report", response_model=None)
def build_download(env: Env, principal: Reviewer, form: PostedForm) -> Response:
    """Build the chosen report file and send it as an attachment."""
    year, lang, fmt = _choice(form)
    request = ReportRequest(
        year=year,
        factor_files=tuple(Path(f) for f in env.request.app.state.settings.factor_files),
        author=principal.username,
        targets_file=configured_targets(env),
        timezone=env.request.app.state.settings.timezone,
    )
    config = load_config(None)
    facts = prepare(env.session, env.catalog, request, config)
    facts.inputs = BuildInputs(targets=request.targets_file).record()
    content = render_outputs(facts, config, lang, [fmt], env.catalog)[fmt]
    name = f"{report_stem(year, lang)}.{fmt}"
    return Response(
        content,
        media_type=report_formats()[fmt].item.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _choice(form) -> tuple[int, str, str]:
    year, lang, fmt = form.get("year", ""), form.get("lang", ""), form.get("format", "")
    formats = report_formats()
    if not str(year).isdigit() or lang not in LANGUAGES or fmt not in formats:
        raise EsgError(
            f"choose a year, a language ({', '.join(LANGUAGES)}) and a format "
            f"({', '.join(formats)}); got {year!r}, {lang!r}, {fmt!r}"
        )
    return int(year), str(lang), str(fmt)
