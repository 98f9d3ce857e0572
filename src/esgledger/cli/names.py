"""Entity, indicator and period arguments, checked against the ledger before a command acts.

A selection matches observations by exact text, so a mistyped code (``--entity SMLET``)
used to select nothing: the command printed an empty table and exited 0, and the user
could not tell a typo from an empty ledger. Every name is checked here first; an unknown
one is a :class:`~esgledger.errors.NotFoundError` (exit 1) that names the closest known
value and the command that lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from esgledger.errors import NotFoundError, Phrase, close_matches

if TYPE_CHECKING:  # the ledger and catalog load only when a command runs
    from sqlalchemy.orm import Session

    from esgledger.ledger.revisions import Selection


def unknown_name(code: str, option: str, written: str, known: Iterable[str]) -> NotFoundError:
    """The error for a name not among ``known`` (``command.unknown_<kind>``): the nearest one,
    and where to look."""
    nearest = close_matches(written, known)
    hint = Phrase.of("command.did_you_mean", name=nearest[0]) if nearest else ""
    return NotFoundError.coded(code, option=option, written=written, hint=hint)


def check_entities(session: Session, codes: Sequence[str] | None, option: str = "--entity") -> None:
    """Refuse an entity code the ledger's org tree does not hold."""
    if not codes:
        return
    from esgledger.ledger.orgstore import load_org

    known = [entity.code for entity in load_org(session)]
    for code in codes:
        if code not in known:
            raise unknown_name("command.unknown_entity", option, code, known)


def check_indicators(codes: Sequence[str] | None, option: str = "--indicator") -> None:
    """Refuse an indicator id the catalog does not define."""
    if not codes:
        return
    from esgledger.catalog import load_catalog

    known = load_catalog().ids()
    for code in codes:
        if code not in known:
            raise unknown_name("command.unknown_indicator", option, code, known)


def checked_periods(
    session: Session, texts: Sequence[str] | None, option: str = "--period"
) -> list[str] | None:
    """The periods in the ledger's own spelling (``2024-3`` is ``2024-03``), each a period
    of an opened reporting year; anything else is refused with the nearest year."""
    if not texts:
        return None
    from esgledger.ledger.calendar import reporting_years
    from esgledger.periods import Period, PeriodError

    years = [str(year) for year in reporting_years(session)]
    result = []
    for text in texts:
        try:
            period = Period.parse(text)
        except PeriodError as exc:
            detail = Phrase.of(exc.code, **exc.params) if exc.code else exc.message
            raise NotFoundError.coded(
                "command.option_period", option=option, text=text, detail=detail
            ) from None
        if str(period.year) not in years:
            nearest = close_matches(text, years)
            hint = Phrase.of("command.did_you_mean", name=nearest[0]) if nearest else ""
            raise NotFoundError.coded(
                "command.unknown_year",
                option=option,
                written=text,
                hint=hint,
                years=years_text(years),
            )
        result.append(str(period))
    return result


def checked_selection(
    session: Session,
    entities: Sequence[str] | None,
    periods: Sequence[str] | None,
    indicators: Sequence[str] | None,
) -> Selection:
    """The selection of ``--entity/--period/--indicator``, every name checked first."""
    from esgledger.ledger.revisions import Selection

    check_entities(session, entities)
    check_indicators(indicators)
    return Selection(entities, checked_periods(session, periods), indicators)


def years_text(years: Sequence[str]) -> Phrase | str:
    """The open years, listed; a phrase saying there are none yet."""
    return ", ".join(years) or Phrase.of("command.no_years")
