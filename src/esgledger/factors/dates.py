"""How factor files write dates: ``YYYY-MM-DD`` text, and ``valid_to`` as an exclusive end.

A value holds from ``valid_from`` (the first day it holds) up to, not including,
``valid_to`` (the first day it no longer holds). People write the last day instead
(``valid_to: 2024-12-31`` for "through 2024"), which would end the value on 30 December; a
lookup on the period's last day would then miss it and use the shipped value. No one means
a value to stop the day before a month ends, so such an end is refused with the date meant.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from esgledger.errors import Phrase
from esgledger.field_errors import CodedValueError, coded_refusal

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY = timedelta(days=1)


def as_date(value: Any) -> Any:
    """``2024-01-01`` (text, as the YAML and CSV readers leave it) → a date; None stays None.

    Only ``YYYY-MM-DD`` is a date: pydantic alone would also take a number of seconds.
    """
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    found = _ISO_DAY.match(text)
    if found is None:
        raise CodedValueError("factor.value.not_iso_date", text=text)
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError as exc:
        raise CodedValueError("factor.value.not_a_day", text=text, detail=str(exc)) from None


def exclusive_end(valid_to: date | None) -> date | None:
    """Refuse a ``valid_to`` on the last day of a month, naming the first day meant."""
    if valid_to is None or (valid_to + _DAY).day != 1:
        return valid_to
    meant = valid_to + _DAY
    through = (
        Phrase.of("factor.value.through_year", year=valid_to.year)
        if valid_to.month == 12
        else Phrase.of(
            "factor.value.through_month",
            name=f"{valid_to:%B %Y}",
            year=valid_to.year,
            month=valid_to.month,
        )
    )
    ends = valid_to - _DAY
    on = Phrase.of("factor.value.day", name=f"{ends.day} {ends:%B}", month=ends.month, day=ends.day)
    raise coded_refusal(
        "factor.value.exclusive_end", valid_to=valid_to, on=on, through=through, meant=meant
    )


Day = Annotated[date | None, BeforeValidator(as_date)]
EndDay = Annotated[date | None, BeforeValidator(as_date), AfterValidator(exclusive_end)]
