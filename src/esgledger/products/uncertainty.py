"""Monte Carlo of a footprint from the uncertainty of its factors (distributions as data).

The inventory g does not depend on the factors, so each draw is one dot product: the
footprint of draw k is sum_f g_f c_f,k. All draws are made at once (a flows x draws array)
from a seeded generator, so a run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from esgledger.products.matrices import Matrices
from esgledger.products.model import Uncertainty
from esgledger.products.solve import Solution


@dataclass(frozen=True)
class Spread:
    draws: int
    seed: int
    mean: float
    sd: float
    p2_5: float
    p50: float
    p97_5: float


def monte_carlo(matrices: Matrices, solution: Solution, draws: int, seed: int) -> Spread:
    """The footprint's distribution over ``draws`` samples of every uncertain factor."""
    rng = np.random.default_rng(seed)
    factors = np.repeat(matrices.characterisation[:, None], draws, axis=1)
    for index, row in enumerate(matrices.flows):
        if row.uncertainty is not None:
            factors[index] = row.factor * _multipliers(row.uncertainty, rng, draws)
    scores = solution.inventory @ factors
    low, mid, high = np.percentile(scores, [2.5, 50, 97.5])
    return Spread(
        draws,
        seed,
        float(scores.mean()),
        float(scores.std(ddof=1)),
        float(low),
        float(mid),
        float(high),
    )


def _multipliers(spec: Uncertainty, rng: np.random.Generator, draws: int) -> np.ndarray:
    """Draws of factor / central value: median 1 for lognormal, mean 1 for the others."""
    if spec.distribution == "lognormal":
        return rng.lognormal(0.0, np.log(spec.gsd or 1.0), draws)
    if spec.distribution == "normal":
        return rng.normal(1.0, spec.relative_sd or 0.0, draws)
    low, high = spec.low or 1.0, spec.high or 1.0
    if spec.distribution == "uniform":
        return rng.uniform(low, high, draws)
    return rng.triangular(low, 1.0, high, draws)
