"""The data-entry form's fields: what to ask for, what is there, last year, and what changed.

A field is one input indicator of the period's frequency (monthly indicators for a month,
yearly ones for a year). It carries the revision its editor saw, so that a save can be
refused when someone else changed the value meanwhile (optimistic concurrency), and last
year's value, so that a large change is flagged before a reviewer has to ask about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from esgledger.catalog.model import Frequency
from esgledger.catalog.registry import Catalog
from esgledger.ledger.entry import FormValue
from esgledger.ledger.imports.resolve import number_text
from esgledger.ledger.reads import Revision
from esgledger.ledger.reads.observations import revisions_by_id
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.periods import Granularity, Period
from esgledger.units import UnitError, conversion_factor, unit_choices


@dataclass
class Field:
    """One row of the form, as shown: the value typed or stored, its status, last year."""

    indicator: str
    name: str
    definition: str
    topic: str
    unit: str
    choices: list[tuple[str, float]]
    value: str = ""
    entered_unit: str = ""
    comment: str = ""
    status: str | None = None
    seen: int | None = None
    last: float | None = None
    change: float | None = None
    warn: bool = False
    error: str | None = None


def form_indicators(catalog: Catalog, period: Period) -> list[Any]:
    """The input indicators collected at this period's frequency, in catalog order."""
    wanted = Frequency.MONTHLY if period.granularity is Granularity.MONTH else Frequency.YEARLY
    return [i for i in catalog.inputs() if i.frequency is wanted]


def current_by_indicator(session: Session, entity: str, period: str) -> dict[str, Revision]:
    return {r.indicator: r for r in latest_revisions(session, Selection([entity], [period]))}


def build_fields(
    session: Session, catalog: Catalog, lang: str, entity: str, period: Period, previous: str
) -> list[Field]:
    """The fields with the stored values, statuses and last year's values."""
    current = current_by_indicator(session, entity, str(period))
    before = current_by_indicator(session, entity, previous)
    fields = []
    for indicator in form_indicators(catalog, period):
        revision, last = current.get(indicator.id), before.get(indicator.id)
        item = Field(
            indicator.id,
            indicator.name(lang),
            indicator.defined(lang),
            indicator.topic,
            indicator.unit,
            unit_choices(indicator.unit),
            entered_unit=indicator.unit,
            last=None if last is None or last.is_tombstone else last.canonical_value,
        )
        if revision is not None:
            item.seen, item.status = revision.id, revision.status
            if not revision.is_tombstone:
                item.value = revision.value or ""
                item.entered_unit = revision.unit or indicator.unit
                item.comment = revision.comment or ""
                _offer(item, item.entered_unit)
        fields.append(item)
    return fields


def _offer(item: Field, unit: str) -> None:
    """Keep a unit the value was entered in among the choices, so it shows as entered."""
    if all(unit != choice for choice, _ in item.choices):
        try:
            item.choices.append((unit, conversion_factor(unit, item.unit)))
        except UnitError:
            return


def apply_posted(fields: list[Field], form: Mapping[str, Any]) -> None:
    """Put what the user typed (and the revision each field saw) back into the fields."""
    for item in fields:
        key = item.indicator
        if f"v.{key}" not in form:
            continue
        item.value = str(form.get(f"v.{key}", "")).strip()
        item.entered_unit = str(form.get(f"u.{key}") or item.unit)
        item.comment = str(form.get(f"c.{key}", "")).strip()
        seen = str(form.get(f"s.{key}", "")).strip()
        item.seen = int(seen) if seen.isdigit() else None


def mark_changes(fields: list[Field], threshold_percent: float) -> int:
    """Flag fields that differ from last year by more than the threshold; returns how many."""
    flagged = 0
    for item in fields:
        item.change, item.warn = None, False
        typed = _canonical(item)
        if typed is None or item.last is None:
            continue
        if item.last == 0:
            item.warn = typed != 0
        else:
            item.change = (typed - item.last) / abs(item.last) * 100
            item.warn = abs(item.change) > threshold_percent
        flagged += item.warn
    return flagged


def _canonical(item: Field) -> float | None:
    try:
        return float(number_text(item.value)) * conversion_factor(item.entered_unit, item.unit)
    except (ValueError, UnitError):
        return None


def edited_values(session: Session, fields: list[Field]) -> list[FormValue]:
    """The fields the user changed: a field left as loaded is not saved and cannot conflict."""
    seen_ids = [f.seen for f in fields if f.seen is not None]
    seen = revisions_by_id(session, seen_ids)
    edited = []
    for item in fields:
        loaded = seen.get(item.seen) if item.seen is not None else None
        if loaded is None and not item.value:
            continue
        if loaded is not None and _same(item, loaded):
            continue
        comment = item.comment or None
        edited.append(FormValue(item.indicator, item.value, item.entered_unit, item.seen, comment))
    return edited


def _same(item: Field, loaded: Revision) -> bool:
    if loaded.is_tombstone:
        return not item.value
    return (
        item.value == (loaded.value or "")
        and item.entered_unit == (loaded.unit or item.unit)
        and item.comment == (loaded.comment or "")
    )


def grouped(fields: list[Field], topic_label: Any) -> list[dict[str, Any]]:
    """Fields by topic, in catalog order, each group knowing whether it holds anything."""
    groups: dict[str, dict[str, Any]] = {}
    for item in fields:
        group = groups.setdefault(
            item.topic, {"topic": item.topic, "label": topic_label(item.topic), "fields": []}
        )
        group["fields"].append(item)
    for group in groups.values():
        group["filled"] = sum(1 for f in group["fields"] if f.value)
        group["errors"] = sum(1 for f in group["fields"] if f.error)
        group["warnings"] = sum(1 for f in group["fields"] if f.warn)
    return list(groups.values())
