"""How much of each computed value rests on estimated observations (0 to 1).

A sum, or a method's result (a sum of terms), rests on estimates in proportion to the size
of its estimated parts: Σ |part| × share / Σ |part|. A ratio rests on estimates as much as
its more estimated side. A formula weights its operands by their size.

Most parts are amounts that are never negative, and most shares are 0 in most cells (a
few estimated months). Then Σ |part| is the value itself, and only the cells where a share
is not 0 need multiplying: the share of a sum costs a few passes over the grid instead of
five per part. Both ways give the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from esgledger.engine.arrays.state import State
from esgledger.engine.lineage import Node

_TINY = np.finfo(float).tiny
_SPARSE = 8  # a share with non-zero cells in under 1/8 of the grid is added cell by cell

# (amounts, share or None, the share's non-zero cells or None)
Part = tuple[np.ndarray, np.ndarray | None, np.ndarray | None]


def estimated_share(state: State, indicator: Any, node: Node, values: np.ndarray) -> np.ndarray:
    """The estimated share of ``values``, the indicator just computed from ``node``."""
    if indicator.ratio is not None:
        sides = (indicator.ratio.numerator, indicator.ratio.denominator)
        if all(state.share(side) is None for side in sides):
            return state.constant("zero")
        return np.maximum(*(state.estimated[side] for side in sides))
    if node.terms:
        parts = [(t.values, *_share_of(state, t.inputs)) for t in node.terms]
        signs_known = False
    elif indicator.adds is not None:
        parts = [(state.amount(i, indicator.unit), *_share_of(state, (i,))) for i in node.inputs]
        signs_known = all(state.never_negative(i) for i in node.inputs)
    else:  # a formula: its operands weighted by their size in their own units
        parts = [(state.amount(i), *_share_of(state, (i,))) for i in node.inputs]
        return weighted_share(state, parts)
    if all(share is None for _, share, _ in parts):
        return state.constant("zero")
    if signs_known or all(bool(amounts.min() >= 0) for amounts, _, _ in parts):  # NaN: False
        # every part is a finite amount ≥ 0: their sum is the value (NaN where none was
        # reported, and there every part is 0)
        return fraction_estimated(_estimated_part(state, parts), np.fmax(values, _TINY))
    return weighted_share(state, parts)


def weighted_share(state: State, parts: list[Part]) -> np.ndarray:
    """Σ |part| × share / Σ |part|, 0 where every part is 0; a share of None counts as 0.

    NaN amounts weigh nothing.
    """
    if all(share is None for _, share, _ in parts):
        return state.constant("zero")
    weight, sizes = np.zeros(state.grid.shape), []
    for amounts, share, cells in parts:
        size = np.abs(amounts)
        np.fmax(size, 0.0, out=size)  # fmax drops NaN in favour of 0
        weight += size
        sizes.append((size, share, cells))
    return fraction_estimated(_estimated_part(state, sizes), weight)


def _estimated_part(state: State, parts: list[Part]) -> np.ndarray:
    """Σ amounts × share over the parts (amounts already ≥ 0)."""
    estimated = np.zeros(state.grid.shape)
    flat = estimated.reshape(-1)
    for amounts, share, cells in parts:
        if share is None:
            continue
        if cells is not None and cells.size * _SPARSE < flat.size:
            flat[cells] += amounts.reshape(-1)[cells] * share.reshape(-1)[cells]
        else:
            estimated += amounts * share
    return estimated


def fraction_estimated(estimated: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """``estimated / magnitude`` in place, 0 where the magnitude is 0 (so is the estimated part).

    Magnitudes are sums of absolute values, never negative.
    """
    estimated /= np.maximum(magnitude, _TINY)
    return estimated


def _share_of(state: State, inputs: tuple[str, ...]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The share of a part computed from ``inputs`` (the largest of theirs), and its non-zero
    cells when that is known already."""
    shares = [(i, s) for i in inputs if (s := state.share(i)) is not None]
    if not shares:
        return None, None
    if len(shares) == 1:
        return shares[0][1], state.estimated_cells(shares[0][0])
    return np.max([s for _, s in shares], axis=0), None
