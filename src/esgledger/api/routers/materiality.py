"""Double materiality: a year's scored topics, the responses behind one, survey links, and
the survey answered through its link.

Admins, group managers and auditors read the assessment (it is the group's, across
entities); admins and group managers issue links. Answering needs no account: the signed
link is the credential (``POST /materiality/survey/{token}``), and a forged, expired or
used link is refused with nothing recorded, as the survey page does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, Reviewer, SessionDep
from esgledger.api.errors import Forbidden
from esgledger.api.routers._state import SettingsDep
from esgledger.api.schemas import error_responses
from esgledger.auth.roles import SEES_ALL
from esgledger.auth.service import Principal
from esgledger.errors import NotFoundError, Phrase
from esgledger.inputs import InputModel
from esgledger.materiality.summary import assessment, responses_behind
from esgledger.materiality.survey import (
    MOST_LINKS,
    Answer,
    issue_survey_links,
    open_survey,
    submit_response,
)
from esgledger.settings import link_key

router = APIRouter(tags=["materiality"], responses=error_responses(400, 404))
Year = Annotated[int, PathParam(ge=1990, le=2100)]


def _reader(principal: Principal) -> None:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded(
            "access.may_not",
            role=Phrase.of(f"user_role.{principal.role.value}"),
            action=Phrase.of("access.read_assessment"),
        )


@router.get("/materiality/{year}", summary="A year's double-materiality assessment")
def get_assessment(
    year: Year, principal: CurrentUser, session: SessionDep, lang: Literal["en", "zh"] = "en"
) -> dict[str, Any]:
    """Each topic's impact and financial score, tier and movement since last year, and the
    survey's progress per stakeholder group; ``svg`` is the matrix."""
    _reader(principal)
    result = assessment(session, year, lang)
    return {
        "year": year,
        "responses": result.responses,
        "topics": result.rows,
        "groups": result.groups,
        "svg": result.svg,
        "sources": result.sources,
    }


@router.get("/materiality/{year}/topics/{topic}", summary="The responses behind a topic's score")
def get_topic_responses(
    year: Year, topic: str, principal: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    """Every response that rated the topic: group, ratings, and its impact and financial
    score."""
    _reader(principal)
    rows = assessment(session, year, "en").rows
    if not any(r["id"] == topic for r in rows):
        raise NotFoundError.coded("page.not_a_topic", topic=topic, year=year)
    return {"year": year, "topic": topic, "responses": responses_behind(session, year, topic)}


class LinksRequest(InputModel):
    group: str = Field(max_length=40)
    count: int = Field(ge=1, le=MOST_LINKS)
    lang: Literal["zh", "en"] = "zh"
    days: int = Field(default=30, ge=1, le=366)


@router.post("/materiality/{year}/links", status_code=201, summary="Issue survey links")
def post_links(
    year: Year, body: LinksRequest, principal: Reviewer, session: SessionDep,
    settings: SettingsDep,
) -> dict[str, Any]:  # fmt: skip
    """New one-use links for a stakeholder group's questionnaire (relative paths ``/s/...``;
    the server's address goes in front). Needs ``ESGLEDGER_LINK_KEY`` on the server."""
    tokens = issue_survey_links(
        session, link_key(settings), year=year, group=body.group, count=body.count,
        lang=body.lang, valid_for=timedelta(days=body.days), now=datetime.now(UTC),
        actor=principal.username,
    )  # fmt: skip
    return {"year": year, "group": body.group, "links": [f"/s/{t}" for t in tokens]}


class AnswerIn(InputModel):
    topic: str
    dimension: str
    score: int | str


class SurveyAnswer(BaseModel):
    answers: list[AnswerIn]


@router.post("/materiality/survey/{token}", status_code=201, summary="Answer a survey link")
def post_survey_answer(
    token: str, body: SurveyAnswer, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Record the answer and use the link up, together; no account needed."""
    claims = open_survey(link_key(settings), token, datetime.now(UTC))
    answers = [Answer(a.topic, a.dimension, a.score) for a in body.answers]  # type: ignore[arg-type]
    submit_response(session, claims, answers)
    return {"recorded": len(answers), "group": claims.subject["group"]}
