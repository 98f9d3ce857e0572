"""Questionnaires sent by signed link and the answers taken once per link.

Each link is signed (:mod:`esgledger.auth.links`) with the purpose
``suppliers.questionnaire`` and the subject ``{supplier, kind, year, lang}``; the register
``suppliers.links`` keeps one record per link sent (to show what is outstanding) and
``suppliers.answers`` one record per answer, key = link id, entity = the buying entity. An
answer is checked whole before anything is written, and the link is marked used in the same
transaction, so a refused answer, and a second one, change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.links import LinkClaims, issue_link, use_link, verify_link
from esgledger.errors import EsgError
from esgledger.ledger.reads.records import RecordView, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.suppliers.model import Question, Questionnaire, questionnaire, units
from esgledger.suppliers.register import get_supplier

PURPOSE = "suppliers.questionnaire"
LINKS = "suppliers.links"
ANSWERS = "suppliers.answers"
MOST_TEXT = 2000


@dataclass(frozen=True)
class RawAnswer:
    """What the supplier sent: one value per question, rows of cells per table question."""

    values: dict[str, str]
    lines: dict[str, list[dict[str, str]]]


def issue_questionnaire(
    session: Session, key: bytes, *, supplier: str, kind: str, year: int, lang: str,
    valid_for: timedelta, now: datetime, actor: str, email: str = "",
) -> tuple[str, LinkClaims]:  # fmt: skip
    """A new link asking ``supplier`` the ``kind`` questionnaire for ``year``, recorded."""
    questionnaire(kind)
    found, _ = get_supplier(session, supplier)
    subject = {"supplier": supplier, "kind": kind, "year": year, "lang": lang}
    token, claims = issue_link(key, PURPOSE, subject, valid_for, now)
    payload = {**subject, "expires": claims.expires.isoformat(), "issued": now.isoformat(),
               "email": email}  # fmt: skip
    append_records(
        session, LINKS, [RecordChange(claims.id, payload, entity=found.entity, expected_version=0)],
        actor=actor, action="suppliers.link_issue",
    )  # fmt: skip
    return token, claims


def open_questionnaire(key: bytes, token: str, now: datetime) -> LinkClaims:
    """The claims of a genuine, unexpired questionnaire link (raises ``LinkRefused``)."""
    return verify_link(key, token, PURPOSE, now)


def _missing(number: int, row: int | None = None) -> EsgError:
    if row is None:
        return EsgError.coded("supplier_q.missing", question=number)
    return EsgError.coded("supplier_q.missing_cell", question=number, row=row)


def _cell(question: Question, value: str, number: int, row: int | None) -> Any:
    """One checked value: yes/no as a bool, a choice's id, a number, a unit or text."""
    value = value.strip()
    if not value:
        if question.optional:
            return None
        raise _missing(number, row)
    if question.kind == "yesno" and value in ("yes", "no"):
        return value == "yes"
    if question.kind == "choice" and question.option(value) is not None:
        return value
    if question.kind == "unit" and value in units():
        return value
    if question.kind == "text" and len(value) <= MOST_TEXT:
        return value
    if question.kind == "number":
        try:
            number_value = float(value.replace(",", ""))
        except ValueError:
            number_value = -1.0
        if number_value >= 0 and number_value == number_value and number_value != float("inf"):
            return number_value
        raise EsgError.coded("supplier_q.bad_number", question=number, row=row or "", value=value)
    raise EsgError.coded("supplier_q.bad_value", question=number, value=value[:40])


def check_answer(form: Questionnaire, raw: RawAnswer) -> dict[str, Any]:
    """The answer as stored: ``{question id: value}``, a table as a list of row dicts.

    Raises:
        EsgError: the first question (by its number on the page) left out or answered
            with something it does not take.
    """
    checked: dict[str, Any] = {}
    for number, question in enumerate(form.questions, start=1):
        if question.kind != "lines":
            checked[question.id] = _cell(question, raw.values.get(question.id, ""), number, None)
            continue
        rows = []
        for row_number, cells in enumerate(raw.lines.get(question.id, []), start=1):
            if not any(str(v).strip() for v in cells.values()):
                continue
            rows.append(
                {c.id: _cell(c, str(cells.get(c.id, "")), number, row_number)
                 for c in question.columns}
            )  # fmt: skip
        if not rows:
            raise _missing(number)
        checked[question.id] = rows
    return checked


def submit_answer(
    session: Session, claims: LinkClaims, raw: RawAnswer, now: datetime, *,
    actor: str = "supplier",
) -> None:  # fmt: skip
    """Record the answer and mark the link used, together (the caller commits).

    Raises:
        EsgError: a bad answer or ``link.used``; nothing is written either way.
    """
    subject = claims.subject
    answers = check_answer(questionnaire(str(subject["kind"])), raw)
    supplier, _ = get_supplier(session, str(subject["supplier"]))
    use_link(session, claims, actor=actor)
    payload = {"supplier": supplier.code, "kind": subject["kind"], "year": int(subject["year"]),
               "answers": answers, "answered": now.isoformat()}  # fmt: skip
    append_records(
        session, ANSWERS, [RecordChange(claims.id, payload, entity=supplier.entity,
                                        expected_version=0)],
        actor=actor, action="suppliers.answer",
    )  # fmt: skip


def latest_answers(
    session: Session, kind: str, year: int | None = None, entities: list[str] | None = None
) -> dict[tuple[str, int], RecordView]:
    """The newest answer of each (supplier, year) to the ``kind`` questionnaire."""
    newest: dict[tuple[str, int], RecordView] = {}
    for record in current_records(session, ANSWERS, entities=entities):
        p = record.payload
        if p["kind"] != kind or (year is not None and p["year"] != year):
            continue
        slot = (p["supplier"], int(p["year"]))
        if slot not in newest or newest[slot].payload["answered"] < p["answered"]:
            newest[slot] = record
    return newest


def sent_links(session: Session, entities: list[str] | None = None) -> list[RecordView]:
    """Every link sent, newest first."""
    records = current_records(session, LINKS, entities=entities)
    return sorted(records, key=lambda r: r.payload["issued"], reverse=True)
