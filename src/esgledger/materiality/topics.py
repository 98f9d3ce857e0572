"""The topic library of each year's assessment, kept as the register ``materiality.topics``.

A year's list starts from SSE Guideline No.14's 21 topics and the group's own (zh/en); it
is edited per year (a topic renamed in 2024 keeps its 2023 name in 2023's list), so each
record is one topic of one year, key ``<year>/<topic id>``. Saving a year's list appends
the changed topics and retires the ones dropped, in one audit entry.

The XLSX round trip (export, edit, import) is atomic: every row is checked first and one
bad cell refuses the whole file, each problem named by file, sheet, row and column.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy.orm import Session

from esgledger.errors import EsgError, Location, Problem, ValidationFailed
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.materiality.model import Topic
from esgledger.spreadsheet_cells import xlsx_row

REGISTER = "materiality.topics"
SHEET = "topics"
COLUMNS = ("id", "name_zh", "name_en", "dimension", "article", "sse_topic", "source")


def year_topics(session: Session, year: int) -> list[Topic]:
    """The topics of ``year``'s assessment, in the order they were listed."""
    found = [r for r in current_records(session, REGISTER) if r.key.startswith(f"{year}/")]
    found.sort(key=lambda r: r.payload.get("order", 0))
    return [Topic.model_validate(_fields(r.payload)) for r in found]


def _fields(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in ("year", "order")}


def save_topics(session: Session, year: int, topics: Sequence[Topic], *, actor: str) -> int:
    """Make ``topics`` the year's list: changed ones appended, dropped ones retired.

    Returns the number of records written (0 when nothing changed).
    """
    current = {r.key: r for r in current_records(session, REGISTER) if r.key.startswith(f"{year}/")}
    changes = []
    for order, topic in enumerate(topics):
        key = f"{year}/{topic.id}"
        payload = {**topic.model_dump(), "year": year, "order": order}
        if key not in current or current[key].payload != payload:
            version = current[key].version if key in current else 0
            changes.append(RecordChange(key, payload, expected_version=version))
    kept = {f"{year}/{t.id}" for t in topics}
    for key, record in current.items():
        if key not in kept:
            changes.append(
                RecordChange(key, record.payload, retire=True, expected_version=record.version)
            )
    if changes:
        append_records(
            session, REGISTER, changes, actor=actor, action="materiality.topics.save",
            reason=str(year),  # the year whose topic list this is
        )  # fmt: skip
    return len(changes)


def export_topics(topics: Sequence[Topic]) -> bytes:
    """The topic list as a workbook to edit and import again."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(xlsx_row(sheet, COLUMNS))
    for topic in topics:
        row = topic.model_dump()
        sheet.append(xlsx_row(sheet, [row[c] for c in COLUMNS]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_topics(data: bytes, file_name: str) -> list[Topic]:
    """The topics of an edited workbook, every row checked before any is accepted.

    Raises:
        ValidationFailed: one problem per bad cell, named by file, sheet, row, column.
    """
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if SHEET not in book.sheetnames:
        raise EsgError(
            f"{file_name} has no sheet {SHEET!r}",
            code="assessment.missing_sheet",
            params={"file": file_name, "sheet": SHEET},
        )
    rows = list(book[SHEET].iter_rows(values_only=True))
    header = [str(c or "").strip() for c in rows[0]] if rows else []
    topics, problems, seen = [], [], set()
    for number, values in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cells = {
            h: (str(v).strip() if v is not None else None)
            for h, v in zip(header, values, strict=False)
        }
        try:
            topic = Topic.model_validate(
                {c: cells.get(c) or None for c in COLUMNS}
                | {
                    "source": cells.get("source") or "",
                }
            )
        except ValidationError as exc:
            problems += [_problem(file_name, number, err) for err in exc.errors()]
            continue
        if topic.id in seen:
            problems.append(_cell(file_name, number, "id", topic.id, "a second row of this id"))
        seen.add(topic.id)
        topics.append(topic)
    if problems:
        raise ValidationFailed.refusing(problems, "assessment.topics_refused")
    return topics


def _problem(file_name: str, row: int, error: dict[str, Any]) -> Problem:
    column = str(error["loc"][0]) if error["loc"] else "?"
    return _cell(file_name, row, column, error.get("input"), error["msg"].lower())


def _cell(file_name: str, row: int, column: str, value: Any, problem: str) -> Problem:
    where = Location(file=file_name, sheet=SHEET, row=row, column=column)
    shown = None if value is None else str(value)
    return Problem.coded(where, shown, "assessment.topic_cell", column=column, problem=problem)
