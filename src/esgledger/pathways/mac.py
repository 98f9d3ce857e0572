"""The marginal abatement cost curve of a scenario's levers.

Abatement of a lever = the scenario's emissions (Scope 1 + Scope 2 on the method set's
basis) in the MAC year without that lever, minus with all levers: what the lever adds on
top of the others, so interactions (efficiency shrinking the fuel a switch moves) are
counted once, in the lever that comes last. Yearly cost = capital × capital recovery
factor + net running cost (a negative running cost is a saving); for a green-electricity
channel, its MWh in the MAC year × its premium per MWh. The curve sorts levers by cost
per tCO2e, cheapest first, and accumulates their abatement; levers that abate nothing
(certificates under a location-based Scope 2) come last without a cost per tonne.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

from esgledger.pathways.baseline import Baseline
from esgledger.pathways.project import project
from esgledger.pathways.scenario import Measure, Scenario

_KINDS = {
    "Efficiency": "efficiency",
    "FuelSwitch": "fuel_switch",
    "ProcessChange": "process_change",
    "CarbonCapture": "carbon_capture",
}
_GREEN_QUANTITY = {"own_solar": "self_mwh", "contracts": "green_mwh", "certificates": "green_mwh"}


class MacItem(BaseModel):
    """A lever's abatement and yearly cost, before sorting."""

    id: str
    name: str
    kind: str
    abatement_t: float
    annual_cost_cny: float


class MacRow(MacItem):
    """One bar of the curve: its width is ``abatement_t``, its height ``cost_per_t``; it
    spans ``cumulative_t - abatement_t`` to ``cumulative_t`` on the x axis."""

    cost_per_t: float | None
    cumulative_t: float


def capital_recovery_factor(rate_pct: float, years: int) -> float:
    """The yearly payment per CNY of capital over ``years`` at ``rate_pct``.

    >>> round(capital_recovery_factor(8, 10), 6)
    0.149029
    >>> capital_recovery_factor(0, 4)
    0.25
    """
    rate = rate_pct / 100
    if rate == 0:
        return 1 / years
    growth = (1 + rate) ** years
    return rate * growth / (growth - 1)


def mac_rows(items: Sequence[MacItem]) -> list[MacRow]:
    """Sort by cost per tonne (cheapest first) and accumulate abatement.

    >>> rows = mac_rows([MacItem(id="a", name="", kind="", abatement_t=100, annual_cost_cny=5000),
    ...                  MacItem(id="b", name="", kind="", abatement_t=50, annual_cost_cny=-1000)])
    >>> [(r.id, r.cost_per_t, r.cumulative_t) for r in rows]
    [('b', -20.0, 50.0), ('a', 50.0, 150.0)]
    """
    abating = [item for item in items if item.abatement_t > 0]
    idle = [item for item in items if item.abatement_t <= 0]
    abating.sort(key=lambda item: (item.annual_cost_cny / item.abatement_t, item.id))
    rows, total = [], 0.0
    for item in abating:
        total += item.abatement_t
        cost = item.annual_cost_cny / item.abatement_t
        rows.append(MacRow(**item.model_dump(), cost_per_t=cost, cumulative_t=total))
    rows.extend(MacRow(**item.model_dump(), cost_per_t=None, cumulative_t=total) for item in idle)
    return rows


def mac_year(scenario: Scenario, baseline: Baseline, end_year: int | None = None) -> int:
    """The scenario's MAC year, kept inside the projected years."""
    return min(max(scenario.mac_year, baseline.year + 1), end_year or scenario.end_year)


def mac_curve(scenario: Scenario, baseline: Baseline, end_year: int | None = None) -> list[MacRow]:
    """The curve of every costed lever of ``scenario``, in its MAC year (central case)."""
    last = end_year or scenario.end_year
    year = mac_year(scenario, baseline, last)
    full = project(scenario, baseline, samples=0, end_year=last)
    column = int(np.searchsorted(full.years, year))
    emitted = full.central("total")[column]
    items = [_measure(m, scenario, baseline, emitted, column, last) for m in scenario.measures()]
    for channel in ("own_solar", "contracts", "certificates"):
        if getattr(scenario.green_electricity, channel) is not None:
            items.append(_green(channel, scenario, baseline, full, column, last))
    return mac_rows(items)


def _measure(
    measure: Measure, scenario: Scenario, baseline: Baseline, emitted: float, column: int, last: int
) -> MacItem:
    without = project(scenario.without(measure.id), baseline, samples=0, end_year=last)
    crf = capital_recovery_factor(scenario.discount_rate_pct, measure.lifetime_years)
    return MacItem(
        id=measure.id,
        name=measure.name or measure.id,
        kind=_KINDS[type(measure).__name__],
        abatement_t=float(without.central("total")[column] - emitted),
        annual_cost_cny=measure.capex_cny * crf + measure.opex_cny_per_year,
    )


def _green(
    channel: str, scenario: Scenario, baseline: Baseline, full, column: int, last: int
) -> MacItem:
    without = project(scenario.without(channel), baseline, samples=0, end_year=last)
    quantity = _GREEN_QUANTITY[channel]
    mwh = float(full.central(quantity)[column] - without.central(quantity)[column])
    premium = getattr(scenario.green_electricity, channel).cost_cny_per_mwh
    return MacItem(
        id=channel,
        name=channel.replace("_", " "),
        kind="green_electricity",
        abatement_t=float(without.central("total")[column] - full.central("total")[column]),
        annual_cost_cny=mwh * premium,
    )
