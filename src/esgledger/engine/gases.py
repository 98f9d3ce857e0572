"""One computed emission split into the greenhouse gases it is made of, from the engine's
own terms: nothing is recomputed, and the split adds up to the figure.

The engine keeps CO2e per indicator, but each method writes its result as terms
(``lineage.Term``), and every non-CO2 gas enters a term through its ``gwp.<gas>`` factor
(combustion CH4 and N2O, the PFCs CF4 and C2F6 of electrolysis, fugitive gases). So a
term with a ``gwp.<gas>`` factor is that gas, its mass the term over the GWP the cell used;
a term without one is CO2 (fuel carbon, anode carbon, carbonates, grid and heat factors),
counted at GWP 1. A product footprint needs the masses to characterise them with its own
GWP set (ISO 14067 6.5.3: one set for the whole footprint), which may differ from the
method set's. What the terms cannot tell apart (a reported CO2e total, a ratio) is left as
``CO2e``: never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from esgledger.engine.arrays.state import State
from esgledger.engine.lineage import Node
from esgledger.engine.results import Results
from esgledger.engine.years import SUMMED

UNSPLIT = "CO2e"  # CO2e the terms do not split into gases


@dataclass(frozen=True)
class GasAmount:
    """One gas of a figure: its CO2e as the engine counted it and its mass (t)."""

    gas: str
    co2e_t: float  # in the method set's GWP set
    mass_t: float  # for CO2e left unsplit: the CO2e itself


def gas_split(results: Results, indicator: str, entity: str, period: str) -> list[GasAmount]:
    """The gases of ``indicator`` (t CO2e) of ``entity`` in ``period``, largest first; their
    CO2e adds up to the engine's figure. Empty when the figure is empty."""
    found: dict[str, list[float]] = {}
    _walk(results, indicator, entity, period, 1.0, found)
    amounts = [GasAmount(gas, co2e, mass) for gas, (co2e, mass) in found.items() if co2e or mass]
    return sorted(amounts, key=lambda amount: -abs(amount.co2e_t))


def _add(found: dict[str, list[float]], gas: str, co2e: float, mass: float) -> None:
    total = found.setdefault(gas, [0.0, 0.0])
    total[0] += co2e
    total[1] += mass


def _walk(results, indicator, entity, period, scale: float, found) -> None:
    """Add ``scale`` times the gases of one cell to ``found``."""
    state = results.entities
    node = state.nodes.get(indicator)
    value = results.value(indicator, entity, period)
    if math.isnan(value) or value == 0.0:
        return
    if node is not None and node.recipe == SUMMED and results.months is not None:
        for label in _month_labels(results, entity, period):
            _walk(results.months, indicator, entity, label, scale, found)
        return
    if node is None or node.recipe not in ("method", "adds"):
        _add(found, UNSPLIT, scale * value, scale * value)
        return
    cell = (state.grid.entity_index(entity), state.grid.period_index(period))
    if node.recipe == "adds":
        for part in dict.fromkeys(node.inputs):
            _walk(results, part, entity, period, scale, found)
        return
    _terms(results, state, node, cell, (entity, period, scale), found)


def _terms(results, state: State, node: Node, cell, where, found) -> None:
    """A method's terms: by their GWP factor, or through the computed figure they read."""
    entity, period, scale = where
    for term in node.terms:
        co2e = float(term.values[cell])
        if math.isnan(co2e) or co2e == 0.0:
            continue
        gwp_key = next((key for key in term.factors if key.startswith("gwp.")), None)
        if gwp_key is not None:
            gwp = float(node.factors[gwp_key].values[cell])
            _add(found, gwp_key.removeprefix("gwp."), scale * co2e, scale * co2e / gwp)
            continue
        computed = [i for i in term.inputs if i in state.nodes and not term.factors]
        if len(computed) == 1:  # a figure carried over whole, e.g. gross process emissions
            whole = results.value(computed[0], entity, period)
            _walk(results, computed[0], entity, period, scale * co2e / whole, found)
            continue
        _add(found, "CO2", scale * co2e, scale * co2e)


def _month_labels(results: Results, entity: str, year: str) -> list[str]:
    """The months of ``year`` (and its whole-year column) that hold a value."""
    layout = results.year_layout
    months = results.months.entities
    columns = list(layout.month_columns(year))
    own = int(layout.own[layout.years.index(year)])
    if own >= 0:
        columns.append(own)
    return [months.grid.periods[col] for col in columns]
