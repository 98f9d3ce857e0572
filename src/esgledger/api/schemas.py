"""Request and response models shared by several routers, and the documented error shapes.

Field types here validate what the services would otherwise reject deep inside: a period
is parsed once at the edge (so ``2024-13`` is a 422 naming the field, not a 400 from the
ledger), identifiers have the lengths of their columns, numbers are finite.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StringConstraints
from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.imports.apply import ImportResult
from esgledger.ledger.reads import Revision
from esgledger.ledger.reads.records import RecordView
from esgledger.monitoring.monthly import MonthlyWarning, warnings_for_changeset
from esgledger.periods import Granularity, Period


def _period(text: str) -> str:
    try:
        return str(Period.parse(text))
    except (EsgError, ValueError):  # ValueError: a year the calendar cannot hold (0000, 9999)
        raise ValueError(
            f"{text!r} is not a period; write a year (2024), a month (2024-03) "
            "or a quarter (2024-Q1)"
        ) from None


# Codes hold no control characters and free text no NUL (PostgreSQL refuses it in text).
CODE = r"^[^\x00-\x1f\x7f]+$"
TEXT = r"^[^\x00]*$"

PeriodText = Annotated[str, StringConstraints(max_length=10), AfterValidator(_period)]
EntityCode = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=CODE)]
IndicatorId = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=CODE)]
UnitText = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=CODE)]


def Text(max_length: int, min_length: int = 0) -> Any:  # noqa: N802 - reads as a type
    """Free text of at most ``max_length`` characters, without NUL."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=min_length > 0,
            min_length=min_length,
            max_length=max_length,
            pattern=TEXT,
        ),
    ]


Reason = Text(2000, min_length=1)
Note = Text(2000)
SearchText = Text(200)
EntityOrBoundaryCode = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=CODE)]
Year = Annotated[int, Field(ge=1000, le=9998)]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# The ledger stores UTC without a zone; answers say so, as RFC 3339 requires.
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]


def _written_day(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic alone would also read ``0`` as 1970-01-01."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"expected a day such as 2025-03-31, got {value!r}")
    return value


Day = Annotated[date, BeforeValidator(_written_day)]


def expand_periods(periods: list[str] | None) -> list[str] | None:
    """A year also selects its quarters and months, a quarter its months.

    >>> expand_periods(["2024-Q1"])
    ['2024-Q1', '2024-01', '2024-02', '2024-03']
    """
    if not periods:
        return None
    found: list[str] = []
    for text in periods:
        period = Period.parse(text)
        found.append(str(period))
        if period.granularity is Granularity.YEAR:
            found += [f"{period.year}-Q{q}" for q in range(1, 5)]
        found += [str(month) for month in period.months() if month != period]
    return list(dict.fromkeys(found))


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    row: int | None = None


class ErrorPublic(BaseModel):
    """The body of every error response (see ``api/errors.py``)."""

    ok: bool = False
    status: int
    error: ErrorDetail
    errors: list[dict[str, Any]]


_MEANING = {
    400: "The request cannot be carried out as asked (the message says why)",
    401: "Not logged in, or the API token is unknown",
    403: "Your role may not do this, or the CSRF token is missing",
    404: "No such thing among those you may see",
    409: "Someone else changed the data since you read it",
    413: "The file is over one of the server's import limits (the message names it)",
    422: "Invalid input; `errors` lists every problem",
    429: "Too many failed password checks; try again after `Retry-After` seconds",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an operation can answer with."""
    return {
        code: {"model": ErrorPublic, "description": _MEANING[code]}
        for code in sorted({401, 403, 422, *codes})
    }


READ_ERRORS = error_responses(404)
WRITE_ERRORS = error_responses(400, 403, 404)


class ChangeCount(BaseModel):
    """How many observations an action changed (0 when none was in a starting state)."""

    action: str
    changed: int


class ObservationPublic(BaseModel):
    """The current state of one observation, in its indicator's unit."""

    revision: int
    entity: str
    period: str
    indicator: str
    value: float | None
    unit: str
    entered_value: str | None
    entered_unit: str | None
    status: str
    quality: str | None
    comment: str | None
    restatement: bool
    deleted: bool

    @classmethod
    def of(cls, r: Revision) -> ObservationPublic:
        return cls(**{field: getattr(r, column) for field, column in OBSERVATION_COLUMNS.items()})


# Each field of ObservationPublic, in order, and the Revision column it shows. The list
# endpoint reads these columns as plain rows and serialises them without a model per row.
OBSERVATION_COLUMNS = {
    "revision": "id",
    "entity": "entity",
    "period": "period",
    "indicator": "indicator",
    "value": "canonical_value",
    "unit": "canonical_unit",
    "entered_value": "value",
    "entered_unit": "unit",
    "status": "status",
    "quality": "quality",
    "comment": "comment",
    "restatement": "restatement",
    "deleted": "is_tombstone",
}


class SavePublic(BaseModel):
    """What a save or import wrote: rows read, new revisions, rows already as given, and
    the months written that look like a unit slip (written all the same, flagged)."""

    source: str
    rows: int
    new_revisions: int
    unchanged: int
    changeset: int | None
    status: str
    unusual_months: list[MonthlyWarning] = []  # in each indicator's catalog unit

    @classmethod
    def of(cls, result: ImportResult, submit: bool, session: Session) -> SavePublic:
        unusual = warnings_for_changeset(session, result.changeset_id)
        return cls(
            source=result.file,
            rows=result.rows,
            new_revisions=result.new_revisions,
            unchanged=result.unchanged,
            changeset=result.changeset_id,
            status="submitted" if submit else "draft",
            unusual_months=unusual,
        )


class RecordOut(BaseModel):
    """One record of a register (a workpaper, a permit) as it stands: key, entity (or site),
    version and fields."""

    key: str
    entity: str | None
    version: int
    fields: dict[str, Any]

    @classmethod
    def of(cls, record: RecordView) -> RecordOut:
        return cls(
            key=record.key, entity=record.entity, version=record.version, fields=record.payload
        )
