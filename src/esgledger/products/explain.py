"""A footprint told back to its sources: each process's and gas's share, each flow with the
number it rests on (ledger figure, cited factor, supplier's footprint), and the ledger
observations behind the ledger figures. The CLI, the web page and the report print these."""

from __future__ import annotations

from dataclasses import dataclass

from esgledger.products.compute import FootprintResult


@dataclass(frozen=True)
class Share:
    name: str
    kg_co2e: float  # per kg of product
    share: float  # of the footprint, 0-1 (negative for a credit)


@dataclass(frozen=True)
class FlowLine:
    """One row of B as used: amount per kg of product, factor and what it cites."""

    key: str
    kind: str
    gas: str
    amount: float
    factor: float
    kg_co2e: float
    source: str


def shares(values: dict[str, float], total: float) -> list[Share]:
    """``values`` as shares of ``total``, largest first."""
    ordered = sorted(
        ((k, v) for k, v in values.items() if v != 0.0), key=lambda item: -abs(item[1])
    )
    return [Share(name, value, value / total if total else 0.0) for name, value in ordered]


def process_shares(result: FootprintResult) -> list[Share]:
    return shares(dict(result.by_process), result.solution.score)


def gas_shares(result: FootprintResult) -> list[Share]:
    return shares(dict(result.by_gas), result.solution.score)


def flow_lines(result: FootprintResult) -> list[FlowLine]:
    """Every flow of the inventory with its source, largest contribution first."""
    lines = [
        FlowLine(
            row.key,
            row.kind,
            row.gas,
            float(amount),
            row.factor,
            float(value),
            row.citation or _ledger_source(result, row.key),
        )
        for row, amount, value in zip(
            result.matrices.flows,
            result.solution.inventory,
            result.solution.characterised,
            strict=True,
        )
    ]
    return sorted(lines, key=lambda line: -abs(line.kg_co2e))


def _ledger_source(result: FootprintResult, key: str) -> str:
    if not key.startswith("ledger:"):
        return "stated in the product system file"
    _, process, indicator, gas = key.split(":", 3)
    figures = [f for f in result.lineage.figures if f.process == process]
    output = next(
        (f for f in figures if f.indicator != indicator and not f.indicator.startswith("ghg.")),
        None,
    )
    used = next((f for f in figures if f.indicator == indicator), None)
    if used is None or output is None:
        return "ledger"
    return (
        f"{used.entity} {used.period}: {used.indicator} {used.value:,.1f} {used.unit} / "
        f"{output.indicator} {output.value:,.1f} {output.unit}; {gas} of the engine's terms"
    )
