"""Background jobs over HTTP: submit, list, follow, cancel (/api/v1/jobs).

Everyone logged in sees their own jobs; admins, group managers and auditors see every job.
Auditors write nothing (no job, no cancel: each is an audit entry); the others start jobs
and cancel their own, admins and group managers any. Report builds, calculations and mail are
started by group managers and admins only (a snapshot, stored files, mail in esgledger's
name). The request never waits for a job: it answers 202 with the queued job.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, Writer
from esgledger.api.errors import Forbidden
from esgledger.api.schemas import UtcDateTime, error_responses
from esgledger.auth.roles import REVIEWERS, SEES_ALL
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, Phrase, accepted_language
from esgledger.jobs import Job, Jobs
from esgledger.jobs.kinds import kind_named

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=error_responses(404))


def app_jobs(request: Request) -> Jobs:
    """The application's queue, opened on first use (one per process)."""
    return app_jobs_of(request.app)


def app_jobs_of(app: FastAPI) -> Jobs:
    state = app.state
    if getattr(state, "jobs", None) is None:
        state.jobs = Jobs(state.settings)
    return state.jobs


JobsDep = Annotated[Jobs, Depends(app_jobs)]


class JobPublic(BaseModel):
    id: str
    kind: str
    params: dict[str, Any]
    status: str
    step: int
    steps: int
    percent: int
    message: str
    requested_by: str
    requested_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    attempts: int
    error: str | None = Field(description="what went wrong, in the Accept-Language")
    error_code: str | None
    result: dict[str, Any] | None

    @classmethod
    def of(cls, job: Job, lang: str) -> JobPublic:
        fields = job.model_dump(exclude={"error", "worker"})
        error = job.error.text(lang) if job.error else None
        code = job.error.code if job.error else None
        return cls(**fields, percent=job.percent, error=error, error_code=code)


class JobRequest(BaseModel):
    kind: str = Field(description="report, calculation, mail or ping")
    params: dict[str, Any] = Field(default_factory=dict)


def visible(job: Job, principal: Principal) -> bool:
    return principal.role in SEES_ALL or job.requested_by == principal.username


def visible_job(jobs: Jobs, job_id: str, principal: Principal) -> Job:
    """Raises: NotFoundError also for another user's job (its number tells nothing)."""
    job = jobs.store.get(job_id)
    if not visible(job, principal):
        raise NotFoundError(f"no job {job_id}", code="jobs.not_found", params={"job": job_id})
    return job


def submit_job(
    jobs: Jobs, request: Request, principal: Principal, kind: str, params: dict[str, Any]
) -> Job:
    """Queue a job for ``principal`` (shared by this router and the web pages).

    Raises:
        Forbidden: the kind is for group managers and admins.
    """
    if kind_named(kind).reviewers_only and principal.role not in REVIEWERS:
        raise Forbidden(
            f"a {kind} job takes a snapshot, stores files or sends mail: only group "
            "managers and admins may start one",
            code="jobs.forbidden_kind",
            params={"kind": kind},
        )
    return jobs.submit(kind, params, principal.username, request.app.state.database)


@router.get("", response_model=list[JobPublic])
def list_jobs(request: Request, jobs: JobsDep, principal: CurrentUser) -> list[JobPublic]:
    """The jobs this user may see, newest first."""
    lang = accepted_language(request.headers.get("accept-language"))
    return [JobPublic.of(j, lang) for j in jobs.store.all() if visible(j, principal)]


@router.post("", response_model=JobPublic, status_code=202, responses=error_responses(400))
def submit(body: JobRequest, request: Request, jobs: JobsDep, principal: Writer) -> JobPublic:
    """Queue a job; follow it at /api/v1/jobs/{id}."""
    job = submit_job(jobs, request, principal, body.kind, body.params)
    return JobPublic.of(job, accepted_language(request.headers.get("accept-language")))


@router.get("/{job_id}", response_model=JobPublic)
def show(job_id: str, request: Request, jobs: JobsDep, principal: CurrentUser) -> JobPublic:
    job = visible_job(jobs, job_id, principal)
    return JobPublic.of(job, accepted_language(request.headers.get("accept-language")))


@router.post("/{job_id}/cancel", response_model=JobPublic, responses=error_responses(400))
def cancel(job_id: str, request: Request, jobs: JobsDep, principal: Writer) -> JobPublic:
    """A queued job never starts; a running one stops at its next step."""
    job = cancel_job(jobs, request, principal, job_id)
    return JobPublic.of(job, accepted_language(request.headers.get("accept-language")))


def cancel_job(jobs: Jobs, request: Request, principal: Principal, job_id: str) -> Job:
    """Raises: Forbidden when the job is another user's and the user is no reviewer."""
    job = visible_job(jobs, job_id, principal)
    if job.requested_by != principal.username and principal.role not in REVIEWERS:
        raise Forbidden.coded(
            "access.may_not",
            role=Phrase.of(f"user_role.{principal.role.value}"),
            action=Phrase.of("access.cancel_job"),
        )
    return jobs.cancel(job_id, principal.username, request.app.state.database)
