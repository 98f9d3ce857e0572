"""The filter criteria PACT v3 defines for ListFootprints and for RequestCreated events.

The same criteria serve both (the specification requires it): product, company,
geography and classification match case-insensitively against any of a footprint's
values; the validity filters compare against its validity period (when a footprint
declares none, 3 years from the end of its reference period).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from esgledger.errors import EsgError
from esgledger.pact import spec

_LISTS = {
    "productId": "productIds",
    "companyId": "companyIds",
    "classification": "productClassifications",
}
_GEOGRAPHY = ("geographyRegionOrSubregion", "geographyCountry", "geographyCountrySubdivision")


@dataclass(frozen=True)
class Criteria:
    product_id: tuple[str, ...] = ()
    company_id: tuple[str, ...] = ()
    geography: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None


def _moment(name: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise EsgError(
            f"{name} must be an RFC 3339 date-time such as 2025-01-01T00:00:00Z, not {text!r}",
            code="pact_v3.bad_date",
            params={"name": name, "value": text},
        )
    return moment


def criteria_from(values: Mapping[str, Any]) -> Criteria:
    """Criteria from query parameters or an event's ``data`` (lists or single values)."""

    def many(name: str) -> tuple[str, ...]:
        given = values.get(name)
        if given is None:
            return ()
        return tuple(str(v) for v in (given if isinstance(given, list | tuple) else [given]))

    status = values.get("status")
    if status is not None and str(status).lower() not in ("active", "deprecated"):
        raise EsgError(
            f"status must be Active or Deprecated, not {status!r}",
            code="pact_v3.bad_status",
            params={"value": status},
        )
    return Criteria(
        product_id=many("productId"),
        company_id=many("companyId"),
        geography=many("geography"),
        classification=many("classification"),
        valid_on=_moment("validOn", values.get("validOn")),
        valid_after=_moment("validAfter", values.get("validAfter")),
        valid_before=_moment("validBefore", values.get("validBefore")),
        status=str(status).capitalize() if status else None,
    )


def _lower(values: Iterable[Any]) -> set[str]:
    return {str(v).lower() for v in values}


def _validity(footprint: Mapping[str, Any]) -> tuple[datetime, datetime]:
    end_ref = _moment("referencePeriodEnd", footprint["pcf"]["referencePeriodEnd"])
    assert end_ref is not None
    start = _moment("validityPeriodStart", footprint.get("validityPeriodStart")) or end_ref
    years = int(spec.settings()["default_validity_years"])
    default_end = end_ref.replace(year=end_ref.year + years)
    end = _moment("validityPeriodEnd", footprint.get("validityPeriodEnd")) or default_end
    return start, end


def matches(footprint: Mapping[str, Any], criteria: Criteria) -> bool:
    for name, field in _LISTS.items():
        wanted = getattr(criteria, _snake(name))
        if wanted and not _lower(wanted) & _lower(footprint.get(field, [])):
            return False
    if criteria.geography:
        held = [footprint["pcf"].get(name) for name in _GEOGRAPHY]
        if not _lower(criteria.geography) & _lower(v for v in held if v):
            return False
    if criteria.status and footprint["status"] != criteria.status:
        return False
    return _valid(footprint, criteria)


def _valid(footprint: Mapping[str, Any], criteria: Criteria) -> bool:
    if not (criteria.valid_on or criteria.valid_after or criteria.valid_before):
        return True
    start, end = _validity(footprint)
    if criteria.valid_on and not start <= criteria.valid_on <= end:
        return False
    if criteria.valid_after and not start > criteria.valid_after:
        return False
    return not (criteria.valid_before and not end < criteria.valid_before)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def select(footprints: Iterable[Mapping[str, Any]], criteria: Criteria) -> list[Mapping[str, Any]]:
    return [footprint for footprint in footprints if matches(footprint, criteria)]
