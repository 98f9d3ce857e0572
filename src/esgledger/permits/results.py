"""Monitoring results against limits, and the exceedances they open.

Recording a batch of results checks every one first (known outlet, a pollutant the outlet's
permit limits, a unit that measures it), judges them all at once against the limits in
force at the outlet (:func:`esgledger.permits.compliance.judge`), writes the results, and
opens an exceedance for each one over its limit. An exceedance then goes
open -> cause recorded -> corrected -> closed, each step a new version with who and when.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.permits.catalogue import pollutants
from esgledger.permits.compliance import judge
from esgledger.permits.model import ResultIn, concentration_factor, refuse
from esgledger.permits.register import EXCEEDANCES, RESULTS, outlet, scope

# step -> (status it starts from, status it leads to, field it fills)
STEPS = {
    "cause": ("open", "cause_recorded", "cause"),
    "correct": ("cause_recorded", "corrected", "corrective_action"),
    "close": ("corrected", "closed", None),
}
STATUSES = ("open", "cause_recorded", "corrected", "closed")


def result_row(session: Session, principal: Principal, result: ResultIn) -> dict:
    """The stored fields of one result: its value and its limit in the pollutant's unit."""
    found = outlet(session, principal, result.outlet)
    limits = {limit["pollutant"]: limit for limit in found.payload["limits"]}
    limit = limits.get(result.pollutant)
    if limit is None or limit.get("max") is None:
        pollutant_known = result.pollutant in pollutants()
        raise refuse(
            "permit.pollutant_not_limited" if pollutant_known else "permit.unknown_pollutant",
            pollutant=result.pollutant,
            outlet=result.outlet,
            known=tuple(sorted(limits)),
            hint="",
        )
    pollutant = pollutants()[result.pollutant]
    value_factor = concentration_factor(result.unit, pollutant, where=result.outlet)
    limit_factor = concentration_factor(
        limit.get("unit") or pollutant.unit, pollutant, where=result.outlet
    )
    return {
        "outlet": result.outlet,
        "permit": found.payload["permit"],
        "pollutant": result.pollutant,
        "medium": pollutant.medium,
        "sampled_at": result.sampled_at.isoformat(timespec="minutes"),
        "value": result.value,
        "unit": result.unit,
        "value_std": result.value * value_factor,
        "unit_std": pollutant.unit,
        "limit_max": limit["max"] * limit_factor,
        "limit_min": None if limit.get("min") is None else limit["min"] * limit_factor,
        "method": result.method,
        "entity": found.entity,
    }


def record_results(
    session: Session,
    principal: Principal,
    results: Sequence[ResultIn],
    *,
    reason: str | None = None,
) -> list[str]:
    """Write the results (all or none) and open an exceedance for each one over its limit;
    returns the keys of the exceedances opened."""
    rows = [result_row(session, principal, result) for result in results]
    if not rows:
        return []
    keys = [result.key for result in results]
    judged = judge(pl.DataFrame(rows, strict=False)).with_columns(key=pl.Series(keys))
    changes = [
        RecordChange(key, {k: v for k, v in row.items() if k != "entity"}, entity=row["entity"])
        for key, row in zip(keys, judged.drop("key").to_dicts(), strict=True)
    ]
    append_records(
        session,
        RESULTS,
        changes,
        actor=principal.username,
        action="permits.results.record",
        reason=reason,
    )
    over = judged.filter(~pl.col("within"))
    # a result recorded again (a correction of a typo) keeps the exceedance it opened
    known = {r.key for r in current_records(session, EXCEEDANCES, keys=over["key"].to_list())}
    over = over.filter(~pl.col("key").is_in(list(known)))
    opened = [
        RecordChange(
            row["key"],
            {
                "result": row["key"],
                "outlet": row["outlet"],
                "pollutant": row["pollutant"],
                "sampled_at": row["sampled_at"],
                "value_std": row["value_std"],
                "unit_std": row["unit_std"],
                "limit_max": row["limit_max"],
                "limit_min": row["limit_min"],
                "status": "open",
                "cause": "",
                "corrective_action": "",
            },
            entity=row["entity"],
            expected_version=0,
        )
        for row in over.to_dicts()
    ]
    if opened:
        append_records(
            session,
            EXCEEDANCES,
            opened,
            actor=principal.username,
            action="permits.exceedance.open",
        )
    return [change.key for change in opened]


def advance_exceedance(
    session: Session,
    principal: Principal,
    key: str,
    step: str,
    text: str = "",
    *,
    expected_version: int | None = None,
) -> RecordView:
    """Move an exceedance one step on (record its cause, its correction, close it)."""
    found = current_record(session, EXCEEDANCES, key)
    if found is None or not principal.may_see(str(found.entity)):
        raise refuse("permit.unknown_exceedance", key=key)
    if step not in STEPS:
        raise refuse("permit.unknown_step", step=step, known=tuple(STEPS))
    start, end, field = STEPS[step]
    status = found.payload["status"]
    if status != start:
        raise refuse("permit.step_out_of_order", key=key, step=step, status=status, needed=start)
    if field is not None and not text.strip():
        raise refuse(f"permit.{field}_missing", key=key)
    payload = dict(found.payload, status=end)
    if field is not None:
        payload[field] = text.strip()
    append_records(
        session,
        EXCEEDANCES,
        [
            RecordChange(
                key,
                payload,
                entity=found.entity,
                expected_version=expected_version or found.version,
            )
        ],
        actor=principal.username,
        action=f"permits.exceedance.{step}",
    )
    return current_record(session, EXCEEDANCES, key)  # type: ignore[return-value]


def list_results(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, RESULTS, entities=scope(principal))


def list_exceedances(session: Session, principal: Principal) -> list[RecordView]:
    return current_records(session, EXCEEDANCES, entities=scope(principal))
