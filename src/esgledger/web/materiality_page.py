"""The double-materiality page: the matrix, the topics by tier with their movement since
last year, the survey's response rates per stakeholder group, and the responses behind each
topic's score (drill-down). Group managers and admins issue survey links here.

Everything shown comes from :func:`esgledger.materiality.summary.assessment`, the function
behind ``GET /api/v1/materiality/{year}`` and ``esgledger materiality show``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from esgledger.api.deps import Reviewer
from esgledger.api.errors import Forbidden
from esgledger.auth.roles import SEES_ALL
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger.calendar import reporting_years
from esgledger.materiality.summary import assessment, responses_behind
from esgledger.materiality.survey import issue_survey_links
from esgledger.materiality.topics import year_topics
from esgledger.settings import link_key
from esgledger.web.render import Env, PageEnv

router = APIRouter()
LINK_DAYS = 30  # how long an issued link may be answered


def _year(env: PageEnv, year: int | None) -> int:
    """The year asked for, else the newest year of the calendar, else last year."""
    if not env.can(SEES_ALL):
        raise Forbidden.coded("page.materiality_forbidden")
    if year is not None:
        return year
    years = reporting_years(env.session)
    return max(years) if years else datetime.now(UTC).year - 1


@router.get("/materiality", response_class=HTMLResponse)
def materiality_page(env: Env, year: int | None = None) -> Response:
    """The year's matrix, topic table, movement and survey progress."""
    year = _year(env, year)
    return _render(env, year)


def _render(env: PageEnv, year: int, **extra) -> Response:
    result = assessment(env.session, year, env.lang)
    return env.render(
        "materiality.html",
        json_href=f"/api/v1/materiality/{year}",
        year=year,
        years=sorted(set(reporting_years(env.session)) | {year}, reverse=True),
        result=result,
        tiers=[*result.method.tiers, result.method.not_material],
        can_issue=env.can(frozenset({r for r in SEES_ALL if r.value != "auditor"})),
        groups=result.method.stakeholder_groups,
        **extra,
    )


@router.get("/materiality/{year}/{topic}", response_class=HTMLResponse)
def topic_responses(env: Env, year: int, topic: str) -> Response:
    """The ratings behind one topic's score, response by response."""
    _year(env, year)
    result = assessment(env.session, year, env.lang)
    row = next((r for r in result.rows if r["id"] == topic), None)
    if row is None:
        raise NotFoundError.coded("page.not_a_topic", topic=topic, year=year)
    return env.render(
        "materiality_topic.html",
        json_href=f"/api/v1/materiality/{year}/topics/{topic}",
        year=year,
        row=row,
        responses=responses_behind(env.session, year, topic),
        dimensions=[d for part in result.method.dimensions.values() for d in part],
        group_names={g.id: g.name(env.lang) for g in result.method.stakeholder_groups},
    )


@router.post("/materiality/links", response_class=HTMLResponse)
def issue_links(
    env: Env,
    principal: Reviewer,
    year: Annotated[int, Form()],
    group: Annotated[str, Form(max_length=40)],
    count: Annotated[int, Form()],
    lang: Annotated[str, Form(max_length=2)] = "zh",
) -> Response:
    """New survey links for one group; the page lists them to copy or download."""
    try:
        if not year_topics(env.session, year):
            raise EsgError(
                f"the {year} assessment has no topics",
                code="assessment.no_topics",
                params={"year": year},
            )
        tokens = issue_survey_links(
            env.session, link_key(env.request.app.state.settings), year=year, group=group,
            count=count, lang=lang if lang in ("zh", "en") else "zh",
            valid_for=timedelta(days=LINK_DAYS), now=datetime.now(UTC),
            actor=principal.username,
        )  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return _render(env, year, link_error=exc.text(env.lang))
    env.session.commit()
    base = str(env.request.base_url).rstrip("/")
    return _render(env, year, new_links=[f"{base}/s/{token}" for token in tokens], new_group=group)
