"""Register-derived counts beside the yearly totals typed into the ledger.

Before the registers existed the group typed its safety counts as yearly values
(``safety.hazards_identified`` ...). For every year, the register's count of each entity's
own records is set beside the value typed for that entity, and the count of all records
beside the group total the engine consolidates; a difference is a restatement candidate:
either the register misses records or the typed total was wrong. LTIFR is computed from
the register's lost-time injuries over the typed hours worked and headcount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

import polars as pl
from sqlalchemy.orm import Session

from esgledger.auth.service import Principal
from esgledger.calc.service import LedgerInputs, compute, read_inputs
from esgledger.catalog.registry import Catalog
from esgledger.engine.method_names import DEFAULT_METHOD_SET
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.results import Results
from esgledger.org import OrgTree
from esgledger.safety.models import DRILLS, HAZARDS, INCIDENTS
from esgledger.safety.rates import COUNT_COLUMNS, counts_by_site, definitions
from esgledger.safety.register import visible_records
from esgledger.units import Q_

RECONCILED = (
    "safety.hazards_identified",
    "safety.major_hazards_identified",
    "safety.hazards_corrected",
    "safety.emergency_drills",
    "safety.lost_time_injuries",
)


class Agreement(StrEnum):
    MATCH = "match"
    RESTATEMENT_CANDIDATE = "restatement_candidate"
    REGISTER_ONLY = "register_only"
    TYPED_ONLY = "typed_only"


@dataclass(frozen=True)
class Line:
    indicator: str
    entity: str
    year: int
    register: int | None
    typed: float | None
    agreement: Agreement

    @property
    def difference(self) -> float | None:
        if self.register is None or self.typed is None:
            return None
        return self.register - self.typed


@dataclass(frozen=True)
class Reconciliation:
    lines: tuple[Line, ...]
    ltifr: tuple[dict[str, object], ...]

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [
                {
                    "indicator": x.indicator,
                    "entity": x.entity,
                    "year": x.year,
                    "register": x.register,
                    "typed": x.typed,
                    "difference": x.difference,
                    "agreement": str(x.agreement),
                }
                for x in self.lines
            ],
            schema={
                "indicator": pl.Utf8,
                "entity": pl.Utf8,
                "year": pl.Int64,
                "register": pl.Int64,
                "typed": pl.Float64,
                "difference": pl.Float64,
                "agreement": pl.Utf8,
            },
        )


def register_views(session: Session, principal: Principal) -> dict[str, list]:
    """The current hazards, drills and incidents the principal may see."""
    return {
        "hazards": visible_records(session, principal, HAZARDS),
        "drills": visible_records(session, principal, DRILLS),
        "incidents": visible_records(session, principal, INCIDENTS),
    }


def reconcile(
    session: Session, principal: Principal, catalog: Catalog, years: list[int], as_of: date
) -> Reconciliation:
    """Register counts and typed totals per (indicator, entity, year), with LTIFR."""
    inputs = _safety_inputs(read_inputs(session, author=principal.username, record_snapshot=False))
    typed_years = [y for y in years if y in inputs.calendar]
    method_sets = get_method_sets(DEFAULT_METHOD_SET)
    run = compute(inputs, catalog, method_sets, years=typed_years) if typed_years else None
    results = run.results[0] if run else None
    registers = register_views(session, principal)
    lines: list[Line] = []
    ltifr = []
    for year in years:
        counts = _own_and_group(counts_by_site(registers, year, as_of), inputs.org)
        # a year outside the reporting calendar has registers but no typed totals
        typed = results if year in typed_years else None
        lines.extend(_year_lines(counts, typed, inputs.org, year))
        ltifr.append(_ltifr(counts, typed, GROUP, year))
    return Reconciliation(tuple(lines), tuple(ltifr))


def _safety_inputs(inputs: LedgerInputs) -> LedgerInputs:
    """Only the values the reconciliation reads: the counts and the LTIFR denominators
    (the rest of the ledger would need factors that have nothing to do with safety)."""
    needed = {*RECONCILED, *(s["denominator_indicator"] for s in _bases().values())}
    kept = inputs.observations.filter(pl.col("indicator").is_in(sorted(needed)))
    return replace(inputs, observations=kept)


def _bases() -> dict[str, dict]:
    return definitions()["lost_time_injury_frequency"]


GROUP = "group"  # the engine's code for the consolidated group


def _own_and_group(by_site: pl.DataFrame, org: OrgTree) -> dict[str, dict[str, int]]:
    """Each entity's own counts, and the group's (every site's) under ``GROUP``."""
    own = {row["entity"]: row for row in by_site.iter_rows(named=True)}
    counts: dict[str, dict[str, int]] = {}
    for code in [*(entity.code for entity in org), GROUP]:
        sites = list(own) if code == GROUP else [code] if code in own else []
        counts[code] = {
            column: sum(int(own[site][column]) for site in sites)
            for column in COUNT_COLUMNS.values()
        }
        # a year without a single record of the entity is not a register count of zero
        counts[code]["_has"] = int(any(counts[code].values()))
    return counts


def _typed(results: Results | None, indicator: str, code: str, year: int) -> float | None:
    if results is None:
        return None
    value = results.value(indicator, code, str(year))
    return None if math.isnan(value) else value


def _year_lines(counts_of: dict, results: Results | None, org: OrgTree, year: int) -> list[Line]:
    lines = []
    for code in [GROUP, *(entity.code for entity in org)]:
        counts = counts_of[code]
        for indicator in RECONCILED:
            typed = _typed(results, indicator, code, year)
            register = counts[COUNT_COLUMNS[indicator]] if counts["_has"] else None
            if register is None and typed is None:
                continue
            lines.append(Line(indicator, code, year, register, typed, _agreement(register, typed)))
    return lines


def _agreement(register: int | None, typed: float | None) -> Agreement:
    if typed is None:
        return Agreement.REGISTER_ONLY
    if register is None:
        return Agreement.TYPED_ONLY
    return Agreement.MATCH if abs(register - typed) < 0.5 else Agreement.RESTATEMENT_CANDIDATE


def _ltifr(counts_of: dict, results: Results | None, root: str, year: int) -> dict[str, object]:
    """LTIFR on both bases of rates.yaml: register injuries over typed hours / headcount."""
    injured = counts_of[root]["lost_time_injured"]
    answer: dict[str, object] = {"year": year, "lost_time_injured": injured}
    for basis, spec in _bases().items():
        denominator = _typed(results, spec["denominator_indicator"], root, year)
        answer[f"{basis}_denominator"] = denominator
        answer[basis] = None if not denominator else ltifr_rate(injured, denominator, spec)
    return answer


def ltifr_rate(injured: int, denominator: float, spec: dict) -> float:
    if spec["denominator_indicator"] == "safety.hours_worked":
        return (Q_(injured, "person") / Q_(denominator, "h")).to(spec["unit"]).magnitude
    return (Q_(injured, "person") / Q_(denominator, "person")).to(spec["unit"]).magnitude
