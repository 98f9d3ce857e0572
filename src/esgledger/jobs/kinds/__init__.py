"""The kinds of job there are: each names its parameters (checked when the job is
submitted, before it is queued) and the function a worker runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from esgledger.errors import EsgError, close_matches
from esgledger.jobs.context import JobContext


@dataclass(frozen=True)
class JobKind:
    name: str
    params: type[BaseModel]
    run: Callable[[JobContext, Any], dict[str, Any]]
    # started by group managers and admins only: the job takes a snapshot, stores files or
    # sends mail in esgledger's name
    reviewers_only: bool


def job_kinds() -> dict[str, JobKind]:
    """Every kind by name (imported here so the worker loads each kind's code once)."""
    from esgledger.jobs.kinds import calculation, mail, notices, ping, report

    kinds = (
        report.KIND,
        calculation.KIND,
        mail.KIND,
        ping.KIND,
        notices.DELIVERY,
        notices.REMINDERS,
    )
    return {kind.name: kind for kind in kinds}


def kind_named(name: str) -> JobKind:
    """Raises: EsgError naming the kinds there are."""
    kinds = job_kinds()
    if name not in kinds:
        close = close_matches(name, kinds)
        raise EsgError(
            f"no job kind {name!r}; the kinds are {', '.join(sorted(kinds))}"
            + (f" (did you mean {close[0]}?)" if close else ""),
            code="jobs.unknown_kind",
            params={"kind": name, "known": ", ".join(sorted(kinds))},
        )
    return kinds[name]


def checked_params(kind: JobKind, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the job will read them.

    Raises:
        EsgError: one line per bad parameter, what it holds and what it takes.
    """
    try:
        return kind.params.model_validate(given).model_dump(mode="json")
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'parameters'}: {error['msg']}"
            for error in exc.errors()
        )
        raise EsgError(
            f"the {kind.name} job's parameters are not usable: {problems}",
            code="jobs.bad_params",
            params={"kind": kind.name, "problems": problems},
        ) from None
