"""Split multi-output processes into single-output columns (ISO 14044 4.3.4).

Mass and economic allocation give each co-product a column carrying its share of the inputs
and emissions; a process may instead declare its shares (in %, which must add up to 100).
Substitution keeps the reference output and credits each co-product with the background
burden it displaces (system expansion).
"""

from __future__ import annotations

from dataclasses import dataclass

from esgledger.errors import EsgError, Location
from esgledger.products.model import Allocation, Output, Process
from esgledger.units import conversion_factor

SHARE_TOLERANCE = 1e-6  # percentage points: declared shares are written to a few decimals


@dataclass(frozen=True)
class Split:
    """One column of the technosphere: ``share`` of ``process`` for making ``output``."""

    process: Process
    output: Output
    share: float
    credits: tuple[Output, ...] = ()  # co-products displacing background flows (substitution)

    @property
    def column(self) -> str:
        if len(self.process.outputs) == 1 or self.credits:
            return self.process.id
        return f"{self.process.id}/{self.output.product}"


def split(process: Process, method: Allocation, file: str) -> list[Split]:
    """The columns ``process`` becomes under ``method`` (or its declared shares)."""
    if len(process.outputs) == 1:
        return [Split(process, process.outputs[0], 1.0)]
    if process.allocation_shares is not None:
        shares = _declared(process, file)
    elif method is Allocation.SUBSTITUTION:
        return [_substituted(process, file)]
    else:
        weights = [_weight(process, output, method, file) for output in process.outputs]
        total = sum(weights)
        shares = [weight / total for weight in weights]
    return [Split(process, o, s) for o, s in zip(process.outputs, shares, strict=True)]


def _declared(process: Process, file: str) -> list[float]:
    declared = process.allocation_shares or {}
    total = sum(declared.values())
    names = sorted(o.product for o in process.outputs)
    if sorted(declared) != names or abs(total - 100.0) > SHARE_TOLERANCE:
        raise EsgError(
            f"allocation shares of {process.id} add up to {total:g} %",
            code="footprint.allocation_not_100",
            params={"process": process.id, "total": round(total, 6), "outputs": ", ".join(names)},
            location=Location(file=file, line=process.line),
        )
    return [declared[o.product] / 100.0 for o in process.outputs]


def _weight(process: Process, output: Output, method: Allocation, file: str) -> float:
    if method is Allocation.ECONOMIC:
        if output.price is None:
            raise EsgError(
                f"{output.product} of {process.id} has no price",
                code="footprint.no_price",
                params={"process": process.id, "product": output.product},
                location=Location(file=file, line=output.line),
            )
        return output.amount * output.price
    try:
        return output.amount * conversion_factor(output.unit, "kg")
    except EsgError as exc:
        raise EsgError(
            f"{output.product} of {process.id} is counted in {output.unit}, not a mass",
            code="footprint.not_a_mass",
            params={"process": process.id, "product": output.product, "unit": output.unit},
            location=Location(file=file, line=output.line),
        ) from exc


def _substituted(process: Process, file: str) -> Split:
    reference, *others = process.outputs
    for other in others:
        if other.substitutes is None:
            raise EsgError(
                f"{other.product} of {process.id} names nothing it substitutes",
                code="footprint.no_substitute",
                params={"process": process.id, "product": other.product},
                location=Location(file=file, line=other.line),
            )
    return Split(process, reference, 1.0, tuple(others))
