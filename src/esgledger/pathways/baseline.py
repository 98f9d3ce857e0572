"""The base year of a projection, read from the engine's results of the latest actual year.

Entities are pooled into *cells*: entities of one segment that belong to the same
requested scopes (``tag:key-entity``, an entity subtree...). Projecting cells instead of
the group keeps every scope a target names computable (a scope is a set of cells) while
the arrays stay small. Each cell holds the consolidated base-year figures the projection
scales: fuel by carrier (tce and CO2, from the engine's lineage terms), process CO2 by
source, electricity bought, green and self-generated, its Scope 2, steam and output.
Entities outside the consolidation (weight 0) are left out, as the engine leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from esgledger.engine.results import Results
from esgledger.units import conversion_factor

FOSSIL = "energy.fossil_total"
COMBUSTION = ("ghg.scope1_stationary_combustion", "ghg.scope1_mobile_combustion")
ELECTRICITY, GREEN, SELF = (
    "energy.purchased_electricity",
    "energy.green_power_purchased",
    "energy.renewable_self_generated",
)
PROCESS_PARTS = {
    "anode": "ghg.scope1_anode_co2",
    "pfc": "ghg.scope1_pfc",
    "carbonates": "ghg.scope1_carbonates",
}
OUTPUTS = (
    "production.reo_output",
    "production.reo_output_smelting_separation",
    "production.metal_output",
)


@dataclass(frozen=True)
class Baseline:
    """Base-year figures per cell (arrays over cells; ``fuel_*`` are cells × carriers)."""

    year: int
    method_set: str
    scope2_basis: str
    cells: tuple[str, ...]
    segments: tuple[str, ...]
    scopes: dict[str, np.ndarray]
    carriers: tuple[str, ...]
    fuel_tce: np.ndarray
    fuel_co2: np.ndarray
    process_co2: dict[str, np.ndarray]
    purchased_mwh: np.ndarray
    green_mwh: np.ndarray
    self_mwh: np.ndarray
    elec_co2_location: np.ndarray
    elec_co2_market: np.ndarray
    steam_tce: np.ndarray
    steam_co2: np.ndarray
    outputs: dict[str, np.ndarray]
    tce_per_mwh: float
    self_tce_per_mwh: float
    notes: list[str] = field(default_factory=list)

    @property
    def energy_tce(self) -> np.ndarray:
        """Comprehensive energy per cell, as GB/T 2589 adds it up."""
        electricity = self.purchased_mwh * self.tce_per_mwh + self.self_mwh * self.self_tce_per_mwh
        return self.fuel_tce.sum(axis=1) + electricity + self.steam_tce

    @property
    def scope1(self) -> np.ndarray:
        return self.fuel_co2.sum(axis=1) + sum(self.process_co2.values())


def baseline_from_results(
    results: Results, year: int | str, scopes: Sequence[str] = ()
) -> Baseline:
    """Pool the entities of ``results`` into cells and read their base-year figures.

    Args:
        results: yearly results holding ``year`` (any method set; its Scope 2 basis is kept).
        scopes: scopes the projection must report besides the group and the segments,
            e.g. ``tag:key-entity`` or an entity code.
    """
    year = int(year)
    reader = _Reader(results, str(year))
    masks = {code: reader.mask(code) for code in _scopes(results, scopes)}
    pooling, labels, segments = reader.cells(masks)
    carriers, tce, co2 = reader.fuels(pooling)
    process = {part: pooling @ reader.column(ind) for part, ind in PROCESS_PARTS.items()}
    process["other"] = pooling @ reader.column("ghg.scope1_process") - sum(process.values())
    purchased = pooling @ reader.column(ELECTRICITY, "MWh")
    return Baseline(
        year=year,
        method_set=results.method_set.name,
        scope2_basis=results.method_set.scope2_basis.value,
        cells=labels,
        segments=segments,
        scopes={code: _cell_mask(pooling, mask) for code, mask in masks.items()},
        carriers=carriers,
        fuel_tce=tce,
        fuel_co2=co2,
        process_co2=process,
        purchased_mwh=purchased,
        green_mwh=pooling @ reader.column(GREEN, "MWh"),
        self_mwh=pooling @ reader.column(SELF, "MWh"),
        elec_co2_location=pooling @ reader.term("ghg.scope2_location", ELECTRICITY),
        elec_co2_market=pooling @ reader.term("ghg.scope2_market", ELECTRICITY),
        steam_tce=pooling @ reader.column("energy.purchased_steam_tce"),
        steam_co2=pooling
        @ (
            reader.term("ghg.scope2_location", "energy.purchased_heat_gj")
            + reader.term("ghg.scope2_location", "energy.exported_heat")
        ),
        outputs={name: pooling @ reader.column(name) for name in OUTPUTS},
        tce_per_mwh=reader.coefficient("energy.purchased_electricity_tce", ELECTRICITY),
        self_tce_per_mwh=reader.coefficient("energy.renewable_self_generated_tce", SELF),
    )


def _scopes(results: Results, extra: Sequence[str]) -> list[str]:
    codes = results.membership.codes
    segments = [code for code in codes if code.startswith("segment:")]
    wanted = ["group", *segments, *extra]
    return list(dict.fromkeys(wanted))


def _cell_mask(pooling: np.ndarray, entity_mask: np.ndarray) -> np.ndarray:
    """A scope as cells: a cell is in it when its entities are (they all agree by design)."""
    return (pooling > 0) @ entity_mask > 0


class _Reader:
    """Columns of the base year at entity level, NaN read as 0 (not reported)."""

    def __init__(self, results: Results, period: str) -> None:
        self.results, self.state = results, results.entities
        self.col = self.state.grid.period_index(period)
        info = results.membership
        self.weights = info.weights[info.codes.index("group")]

    def mask(self, code: str) -> np.ndarray:
        info, entities = self.results.membership, self.state.grid.entities
        for candidate in (code, f"subtree:{code}"):
            if candidate in info.codes:
                return info.members[info.codes.index(candidate)].astype(bool)
        return np.array([entity == code for entity in entities])

    def cells(self, masks: dict[str, np.ndarray]) -> tuple[np.ndarray, tuple, tuple]:
        """The pooling matrix (cells × entities, holding consolidation weights)."""
        segment_codes = [c for c in masks if c.startswith("segment:")]
        extra = [c for c in masks if c != "group" and c not in segment_codes]
        signatures: dict[tuple, list[int]] = {}
        for row, weight in enumerate(self.weights):
            if weight == 0:
                continue
            segment = next((c[8:] for c in segment_codes if masks[c][row]), "other")
            signature = (segment, *(bool(masks[c][row]) for c in extra))
            signatures.setdefault(signature, []).append(row)
        pooling = np.zeros((len(signatures), len(self.weights)))
        labels = []
        for k, (signature, rows) in enumerate(signatures.items()):
            pooling[k, rows] = self.weights[rows]
            inside = [c for c, flag in zip(extra, signature[1:], strict=True) if flag]
            labels.append("+".join([signature[0], *inside]))
        return pooling, tuple(labels), tuple(s[0] for s in signatures)

    def column(self, indicator: str, unit: str | None = None) -> np.ndarray:
        array = self.state.values.get(indicator)
        if array is None:
            return np.zeros(len(self.weights))
        scale = 1.0
        if unit is not None:
            scale = conversion_factor(self.results.catalog.get(indicator).unit, unit)
        return np.nan_to_num(array[:, self.col]) * scale

    def term(self, indicator: str, first_input: str) -> np.ndarray:
        """The part of a method's result that comes from one input (e.g. the steam term)."""
        node = self.state.nodes.get(indicator)
        parts = [
            t.values[:, self.col]
            for t in (node.terms if node else [])
            if t.inputs[:1] == (first_input,)
        ]
        return np.nan_to_num(np.sum(parts, axis=0)) if parts else np.zeros(len(self.weights))

    def fuels(self, pooling: np.ndarray) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        """tce and CO2 by fuel carrier, from the terms of the energy and combustion methods."""
        node = self.state.nodes.get(FOSSIL)
        names = list(dict.fromkeys(t.inputs[0] for t in (node.terms if node else []) if t.inputs))
        tce = np.column_stack(
            [pooling @ self.term(FOSSIL, name) for name in names] or [np.zeros(len(pooling))]
        )
        co2 = np.column_stack(
            [pooling @ sum(self.term(ind, name) for ind in COMBUSTION) for name in names]
            or [np.zeros(len(pooling))]
        )
        carriers = tuple(name.removeprefix("energy.") for name in names) or ("none",)
        return carriers, tce, co2

    def coefficient(self, tce_indicator: str, mwh_indicator: str) -> float:
        """tce per MWh the method set used (equivalent value or coal-consumption rate)."""
        tce = float(self.weights @ self.column(tce_indicator))
        mwh = float(self.weights @ self.column(mwh_indicator, "MWh"))
        return tce / mwh if mwh else 0.1229  # GB/T 2589-2020 equivalent value, kgce/kWh
