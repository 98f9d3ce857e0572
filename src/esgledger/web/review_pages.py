"""Review: the queue of entity-years, one entity-year's values against last year, approve,
reject (with a reason) and lock a year once everything in it is approved.

Group managers and admins act; auditors may look (read-only) at the same pages. Status
changes go through :func:`esgledger.ledger.decisions.change_status_of` (the revisions the
reviewer ticked, refused if any changed meanwhile) and
:func:`esgledger.ledger.calendar.lock_period`, which write revisions and audit entries.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from esgledger.api.deps import Reviewer
from esgledger.api.errors import Forbidden
from esgledger.auth.roles import COMMENTERS, REVIEWERS, Role
from esgledger.calc.plausibility import factor_library, review_flags
from esgledger.errors import EsgError, Phrase
from esgledger.ledger.calendar import LockError, lock_period, locked_periods, reporting_years
from esgledger.ledger.chain import ConflictError, hold_write_lock
from esgledger.ledger.decisions import change_status_of
from esgledger.ledger.entry import status_summary
from esgledger.ledger.revisions import (
    APPROVED,
    REJECTED,
    STATUSES,
    SUBMITTED,
    Selection,
    latest_revisions,
)
from esgledger.monitoring.monthly import monthly_warnings
from esgledger.periods import Granularity, Period
from esgledger.web.access import PostedForm, commit_and_redirect, tree_order, visible_entity
from esgledger.web.answers_view import value_answers
from esgledger.web.render import Env, PageEnv

router = APIRouter()
REVIEW_READERS = REVIEWERS | {Role.AUDITOR}
PENDING = ("draft", SUBMITTED, REJECTED)


def _may_read(env: PageEnv) -> None:
    """Reviewers act on these pages; auditors only read them; reporters never see them."""
    if env.principal.role not in REVIEW_READERS:
        raise Forbidden.coded(
            "page.may_not_review", role=Phrase.of(f"user_role.{env.principal.role.value}")
        )


@router.get("/review", response_class=HTMLResponse)
def review_queue(
    env: Env, done: str | None = None, n: int = 0, year: str | None = None
) -> HTMLResponse:
    """The queue and the year locks; ``done`` reports the action that redirected here."""
    _may_read(env)
    notice = env.t(f"review.done.{done}", n=n, year=year) if done else None
    return queue_page(env, year, notice=notice)


def queue_page(
    env: PageEnv, year: str | None, *, notice: str | None = None, error: str | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The entity-years, those with submitted values first; one year at a time, or all."""
    summary = status_summary(env.session)
    shown = _shown_year(summary, year)
    order = {e.code: n for n, e in enumerate(tree_order(env.org))}
    files = tuple(env.request.app.state.settings.factor_files)
    flags = review_flags(env.session, factor_library(files))
    rows = sorted(
        (
            {"entity": e, "year": y, "counts": c, "flags": flags.get((e, y), [])}
            for (e, y), c in summary.items()
            if shown is None or y == shown
        ),
        key=lambda r: (-r["year"], -r["counts"].get(SUBMITTED, 0), order.get(r["entity"], 0)),
    )
    return env.render(
        "review_queue.html",
        json_href="/api/v1/review-queue" + (f"?year={shown}" if shown else ""),
        status_code=status,
        rows=rows,
        shown=shown,
        statuses=STATUSES,
        years=year_states(env, summary),
        may_act=env.can(REVIEWERS),
        notice=notice,
        error=error,
    )


def _shown_year(summary: dict, wanted: str | None) -> int | None:
    """The year asked for; by default the latest one with something to review."""
    if wanted == "all":
        return None
    if wanted and wanted.isdigit():
        return int(wanted)
    waiting = [y for (_e, y), counts in summary.items() if counts.get(SUBMITTED)]
    years = waiting or [y for (_e, y) in summary]
    return max(years) if years else None


def year_states(env: PageEnv, summary: dict) -> list[dict]:
    """Per reporting year: locked, ready to lock (everything approved), or how much is open."""
    locked = {str(p) for p in locked_periods(env.session)}
    states = []
    for year in reversed(reporting_years(env.session)):
        counts: Counter[str] = Counter()
        for (_entity, y), by_status in summary.items():
            if y == year:
                counts.update(by_status)
        pending = sum(counts[s] for s in PENDING)
        states.append(
            {
                "year": year,
                "locked": str(year) in locked,
                "pending": pending,
                "approved": counts[APPROVED],
                "ready": str(year) not in locked and pending == 0 and counts[APPROVED] > 0,
            }
        )
    return states


def _year(text: str) -> Period:
    period = Period.parse(text)
    if period.granularity is not Granularity.YEAR:
        raise EsgError.coded("page.review_year", text=text)
    return period


def _periods(period: Period) -> list[str]:
    return [str(period)] + [str(m) for m in period.months()]


def review_rows(env: PageEnv, entity: str, year: Period) -> list[dict]:
    """The entity's values of the year (and its months), each beside last year's."""
    current = latest_revisions(env.session, Selection([entity], _periods(year)))
    before = latest_revisions(env.session, Selection([entity], _periods(_previous(year))))
    last = {(r.indicator, r.period[4:]): r.canonical_value for r in before if not r.is_tombstone}
    threshold = env.request.app.state.settings.yoy_warning_percent
    outliers = monthly_warnings(env.session, [entity])
    rows = []
    for r in current:
        if r.is_tombstone:
            continue
        previous = last.get((r.indicator, r.period[4:]))
        change = None
        if previous and r.canonical_value is not None:
            change = (r.canonical_value - previous) / abs(previous) * 100
        outlier = outliers.get((entity, r.indicator, r.period))
        rows.append(
            {"rev": r, "name": env.indicator_name(r.indicator), "last": previous,
             "change": change, "outlier": outlier,
             "warn": (change is not None and abs(change) > threshold) or outlier is not None}
        )  # fmt: skip
    rank = {SUBMITTED: 0, REJECTED: 1, "draft": 2}
    return sorted(rows, key=lambda x: (rank.get(x["rev"].status, 3), x["rev"].period))


def _previous(year: Period) -> Period:
    return Period.parse(year.year - 1)


# Declared before the entity-year routes, which would otherwise take "lock" for an entity.
@router.post("/review/lock/{year}", response_model=None)
def lock_year(env: Env, principal: Reviewer, year: str) -> Response:
    """Lock a year: its values can then only change by restatement."""
    _year(year)
    try:
        count = lock_period(env.session, principal.username, year)
    except LockError as exc:
        return queue_page(env, year, error=exc.message, status=409)
    return commit_and_redirect(env.session, f"/review?done=locked&n={count}&year={year}")


@router.get("/review/{entity}/{year}", response_class=HTMLResponse)
def review_detail(
    env: Env,
    entity: str,
    year: str,
    status: str | None = None,
    done: str | None = None,
    n: int = 0,
) -> HTMLResponse:
    """One entity-year's values beside last year's, and the decision form."""
    _may_read(env)
    notice = env.t(f"review.done.{done}", n=n, year=year) if done else None
    return detail_page(env, entity, year, status=status, notice=notice)


def detail_page(
    env: PageEnv, entity: str, year: str, *, status: str | None, code: int = 200,
    ticked: set[int] | None = None, **context,
) -> HTMLResponse:  # fmt: skip
    """The entity-year's values; by default only the submitted ones, when there are any.

    Every submitted value starts ticked; a refused form shows again with the ticks it sent
    (a value changed since has a new revision, so it comes back unticked).
    """
    owner, period = visible_entity(env, entity), _year(year)
    rows = review_rows(env, entity, period)
    counts = Counter(r["rev"].status for r in rows)
    if status is None:
        status = SUBMITTED if counts[SUBMITTED] else "all"
    shown = [r for r in rows if status == "all" or r["rev"].status == status]
    for row in shown:
        row["ticked"] = row["rev"].status == SUBMITTED and (
            ticked is None or row["rev"].id in ticked
        )
    answers = value_answers(env, entity, _periods(period))
    return env.render(
        "review_detail.html",
        json_href=f"/api/v1/observations?entity={entity}&period={year}&limit=1000"
        + (f"&status={status}" if status != "all" else ""),
        status_code=code,
        entity=owner,
        year=year,
        rows=shown,
        counts=counts,
        picked=sum(r["ticked"] for r in shown),
        pickable=sum(r["rev"].status == SUBMITTED for r in shown),
        shown_status=status,
        may_act=env.can(REVIEWERS) and counts[SUBMITTED] > 0,
        may_comment=env.can(COMMENTERS),
        answers=answers,
        na_answers=sorted(answers.not_applicable.values(), key=lambda a: (a.period, a.indicator)),
        **{"notice": None, "error": None, "reason": "", **context},
    )


@router.post("/review/{entity}/{year}", response_model=None)
def decide(env: Env, principal: Reviewer, form: PostedForm, entity: str, year: str) -> Response:
    """Approve or reject the ticked submitted values of the entity-year.

    A rejection needs a reason. Each box carries the revision it showed: if any of them is
    no longer the current, submitted one, nothing is changed (as a stale form is refused).
    """
    action, reason = form.get("action"), str(form.get("reason") or "").strip()
    visible_entity(env, entity)
    period = _year(year)

    ticked = {int(v) for v in form.getlist("pick") if str(v).isdigit()}

    def refuse(code: int, error: str) -> HTMLResponse:
        return detail_page(
            env, entity, year, status=None, code=code, error=error, reason=reason, ticked=ticked
        )

    if not ticked:
        return refuse(422, env.t("review.none_picked"))
    if action == "reject" and not reason:
        return refuse(422, env.t("review.reason_required"))
    hold_write_lock(env.session)  # the check below then holds until the decision commits
    current = {
        r.id: r
        for r in latest_revisions(env.session, Selection([entity], _periods(period)))
        if r.status == SUBMITTED and not r.is_tombstone
    }
    if ticked - current.keys():
        env.session.rollback()
        return refuse(409, env.t("review.stale", n=len(ticked - current.keys())))
    status = REJECTED if action == "reject" else APPROVED
    try:
        moved = change_status_of(
            env.session, principal.username, status, ticked, reason=reason or None
        )
    except ConflictError:  # the ledger's own compare-and-set; the lock makes this rare
        env.session.rollback()
        return refuse(409, env.t("review.stale", n=len(ticked)))
    return commit_and_redirect(env.session, f"/review/{entity}/{year}?done={status}&n={len(moved)}")
