"""The disclosure report from the web UI: a group manager picks year, language and format.

The build runs as a job (jobs/kinds/report.py, the same prepare-then-render as `esgledger
report build`): the form queues it and sends the browser to the job's page, which shows
its progress and then links the file, kept as a stored file. The request never waits for
the build. Building takes a snapshot of the approved values, which is a write, so only
reviewers (group managers and admins) may do it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from esgledger.api.deps import Reviewer
from esgledger.api.routers.jobs import app_jobs, submit_job
from esgledger.errors import EsgError
from esgledger.ledger.calendar import reporting_years
from esgledger.report import LANGUAGES
from esgledger.report.formats import report_formats
from esgledger.web.access import PostedForm
from esgledger.web.render import Env

router = APIRouter()


@router.get("/report", response_class=HTMLResponse)
def report_form(env: Env, principal: Reviewer) -> HTMLResponse:
    """The choice of year, language and format."""
    years = sorted(reporting_years(env.session), reverse=True)
    return env.render("report.html", years=years, langs=LANGUAGES, formats=list(report_formats()))


@router.post("/report", response_model=None)
def queue_build(env: Env, principal: Reviewer, form: PostedForm) -> RedirectResponse:
    """Queue the chosen build and show its job page."""
    year, lang, fmt = _choice(form)
    params = {"year": year, "lang": lang, "formats": [fmt]}
    job = submit_job(app_jobs(env.request), env.request, principal, "report", params)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _choice(form) -> tuple[int, str, str]:
    year, lang, fmt = form.get("year", ""), form.get("lang", ""), form.get("format", "")
    formats = report_formats()
    if not str(year).isdigit() or lang not in LANGUAGES or fmt not in formats:
        raise EsgError.coded(
            "page.report_choice",
            langs=", ".join(LANGUAGES),
            formats=", ".join(formats),
            year=year,
            lang=lang,
            fmt=fmt,
        )
    return int(year), str(lang), str(fmt)
