"""The stakeholder survey: links issued per group, answers taken once per link.

Each link is signed (:mod:`esgledger.auth.links`) with the purpose ``materiality.survey``
and the subject ``{year, group, lang}``; the register ``materiality.links`` keeps one record
per issued link (so that response rates have a denominator) and ``materiality.responses``
one record per answer, key = link id. An answer is checked whole (every rating in range,
every topic of the year, every dimension asked of the group) before anything is written,
and the link is marked used in the same transaction, so a refused answer changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.links import LinkClaims, issue_link, use_link, verify_link
from esgledger.errors import EsgError
from esgledger.ledger.records import RecordChange, append_records
from esgledger.materiality.model import Method, load_method
from esgledger.materiality.topics import year_topics

PURPOSE = "materiality.survey"
LINKS = "materiality.links"
RESPONSES = "materiality.responses"
MOST_LINKS = 5000  # links issued in one go


@dataclass(frozen=True)
class Answer:
    """One rating: a topic on one dimension, on the method's scale."""

    topic: str
    dimension: str
    score: int


def issue_survey_links(
    session: Session,
    key: bytes,
    *,
    year: int,
    group: str,
    count: int,
    lang: str,
    valid_for: timedelta,
    now: datetime,
    actor: str,
) -> list[str]:
    """``count`` new links for ``group``'s questionnaire of ``year``, recorded as issued."""
    load_method().group(group)
    if not 1 <= count <= MOST_LINKS:
        raise EsgError(
            f"{count!r} links: give a number from 1 to {MOST_LINKS}",
            code="assessment.count",
            params={"count": count, "most": MOST_LINKS},
        )
    subject = {"year": year, "group": group, "lang": lang}
    issued = [issue_link(key, PURPOSE, subject, valid_for, now) for _ in range(count)]
    changes = [
        RecordChange(
            claims.id,
            {**subject, "expires": claims.expires.isoformat(), "issued": now.isoformat()},
            expected_version=0,
        )
        for _, claims in issued
    ]
    append_records(session, LINKS, changes, actor=actor, action="materiality.links.issue")
    return [token for token, _ in issued]


def open_survey(key: bytes, token: str, now: datetime) -> LinkClaims:
    """The claims of a survey link that may still be answered (signature and expiry)."""
    return verify_link(key, token, PURPOSE, now)


def check_answers(
    session: Session, claims: LinkClaims, answers: list[Answer], method: Method | None = None
) -> list[Answer]:
    """The answers with whole-number ratings, if every one is in range, of a topic of the
    year and of a dimension the group's questionnaire asks.

    Raises:
        EsgError: the first answer out of range, of an unknown topic or dimension.
    """
    method = method or load_method()
    year, group = int(claims.subject["year"]), str(claims.subject["group"])
    topics = {t.id for t in year_topics(session, year)}
    asked = method.asked(group)
    if not answers:
        raise EsgError("the answer rates no topic", code="assessment.no_answers")
    checked = []
    for answer in answers:
        if answer.topic not in topics:
            known = ", ".join(sorted(topics)[:8]) + (" ..." if len(topics) > 8 else "")
            raise EsgError(
                f"{answer.topic!r} is not a topic of {year}",
                code="assessment.unknown_topic",
                params={"topic": answer.topic, "year": year, "known": known},
            )
        if answer.dimension not in asked:
            raise EsgError(
                f"{answer.dimension!r} is not asked of {group}",
                code="assessment.unknown_dimension",
                params={"dimension": answer.dimension, "group": group, "known": ", ".join(asked)},
            )
        score = check_score(answer.topic, answer.dimension, answer.score, method)
        checked.append(Answer(answer.topic, answer.dimension, score))
    return checked


def check_score(topic: str, dimension: str, value: Any, method: Method) -> int:
    """``value`` as a whole rating on the method's scale, or a coded error naming it."""
    low, high = method.scale.min, method.scale.max
    try:
        number = int(str(value).strip())
        valid = str(number) == str(value).strip() and low <= number <= high
    except ValueError:
        valid = False
    if not valid:
        raise EsgError(
            f"topic {topic!r}, {dimension}: {value!r} is not a rating from {low} to {high}",
            code="assessment.score_out_of_range",
            params={
                "topic": topic,
                "dimension": dimension,
                "value": value,
                "low": low,
                "high": high,
            },
        )
    return number


def response_payload(year: int, group: str, answers: list[Answer]) -> dict[str, Any]:
    """A response as the register keeps it: the dimensions rated, the topics, and the scores
    topic by topic, one per dimension (null where unrated): ``scores[t * len(dimensions) +
    d]``. Flat lists keep a response of 30 topics small (every read decodes it) and turn
    into columns in one step."""
    dimensions = list(dict.fromkeys(a.dimension for a in answers))
    topics = list(dict.fromkeys(a.topic for a in answers))
    scores: list[int | None] = [None] * (len(dimensions) * len(topics))
    place = {t: i for i, t in enumerate(topics)}, {d: i for i, d in enumerate(dimensions)}
    for a in answers:
        scores[place[0][a.topic] * len(dimensions) + place[1][a.dimension]] = int(a.score)
    return {"year": year, "group": group, "dimensions": dimensions, "topics": topics,
            "scores": scores}  # fmt: skip


def submit_response(
    session: Session, claims: LinkClaims, answers: list[Answer], *, actor: str = "survey"
) -> None:
    """Record the answer and mark the link used, together (the caller commits).

    Raises:
        EsgError: a bad answer (nothing written) or ``link.used`` (nothing written).
    """
    answers = check_answers(session, claims, answers)
    use_link(session, claims, actor=actor)
    payload = response_payload(int(claims.subject["year"]), str(claims.subject["group"]), answers)
    append_records(
        session,
        RESPONSES,
        [RecordChange(claims.id, payload, expected_version=0)],
        actor=actor,
        action="materiality.response",
    )
