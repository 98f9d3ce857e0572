"""The jobs page (/jobs): what is queued, running and done, with progress that refreshes
on its own (static/jobs.js asks /api/v1/jobs; the request never waits for a job), a
job's files to download when it built any, and a cancel button.

The report page queues its build here instead of building in the request.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from esgledger.api.deps import CurrentUser, Writer
from esgledger.api.routers.jobs import app_jobs, cancel_job, visible, visible_job
from esgledger.errors import NotFoundError
from esgledger.ledger.blobs import blob_store
from esgledger.ledger.files import read_file
from esgledger.web.access import PostedForm
from esgledger.web.render import Env

router = APIRouter()


@router.get("/jobs", response_class=HTMLResponse)
def jobs_list(env: Env, principal: CurrentUser) -> HTMLResponse:
    """Every job this user may see, newest first."""
    jobs = app_jobs(env.request)
    shown = [job for job in jobs.store.all() if visible(job, principal)]
    return env.render("job_list.html", json_href="/api/v1/jobs", jobs=shown)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, env: Env, principal: CurrentUser) -> HTMLResponse:
    """One job: its progress while it runs, then its files or its error."""
    job = visible_job(app_jobs(env.request), job_id, principal)
    error = job.error.text(env.lang) if job.error else None
    return env.render("job.html", json_href=f"/api/v1/jobs/{job.id}", job=job, error=error)


@router.post("/jobs/{job_id}/cancel", response_model=None)
def cancel(job_id: str, env: Env, principal: Writer, form: PostedForm) -> Response:
    cancel_job(app_jobs(env.request), env.request, principal, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/files/{sha256}", response_model=None)
def job_file(job_id: str, sha256: str, env: Env, principal: CurrentUser) -> Response:
    """A file the job built, re-hashed on read (only files the job's result names)."""
    job = visible_job(app_jobs(env.request), job_id, principal)
    files = (job.result or {}).get("files", [])
    if sha256 not in {f["sha256"] for f in files}:
        raise NotFoundError.coded("page.job_no_file", job=job_id, sha256=sha256)
    info, data = read_file(env.session, blob_store(env.request.app.state.settings), sha256)
    return Response(
        data,
        media_type=info.media_type,
        headers={"Content-Disposition": f'attachment; filename="{info.name}"'},
    )
