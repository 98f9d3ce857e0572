"""Choosing which values an auditor tests: random, monetary-unit, and risk-based samples.

Every method works on a population frame (one row per value: entity, period, indicator,
revision_id, magnitude in a common unit, risk flags) over whole columns with numpy and
polars. Each is reproducible: the seed is part of the result and stored with the sample,
so anyone can draw the same sample again from the same population.

Monetary-unit sampling (probability proportional to size) follows the AICPA Audit Sampling
guide: the population's total magnitude is cut into ``n`` intervals of width ``J =
total / n``; a random start ``r`` in ``[0, J)`` and the points ``r, r + J, r + 2J ...``
pick the values whose cumulative range holds a point, so a value of size ``m`` is picked
with probability ``min(1, m / J)`` and any value at least ``J`` is always picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from esgledger.errors import EsgError

DATA = Path(__file__).parent / "data"
ORDER = ["entity", "indicator", "period"]
RISK_FLAGS = ("plausibility", "yoy_change", "late_revision", "restated", "no_evidence")


@cache
def parameters() -> dict[str, Any]:
    """The cited sampling parameters (data/sampling.yaml)."""
    return yaml.safe_load((DATA / "sampling.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Sample:
    """What was drawn and how: enough to draw it again and to explain each selection."""

    method: str
    seed: int
    population_size: int
    population_total: float | None
    items: pl.DataFrame
    interval: float | None = None
    random_start: float | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def _refuse(code: str, /, **params: object) -> EsgError:
    return EsgError.coded(code, **params)


def _ordered(population: pl.DataFrame) -> pl.DataFrame:
    """A fixed order, so a seed draws the same items whatever order the rows came in."""
    return population.sort(ORDER)


def random_sample(population: pl.DataFrame, size: int, seed: int) -> Sample:
    """Simple random sample without replacement of ``size`` values (all when fewer)."""
    if size < 1:
        raise _refuse("workpaper.sample_size", size=size)
    ordered = _ordered(population)
    rng = np.random.default_rng(seed)
    take = min(size, ordered.height)
    chosen = np.sort(rng.choice(ordered.height, size=take, replace=False))
    items = ordered[chosen.tolist()].with_columns(reason=pl.lit("random"))
    return Sample("random", seed, ordered.height, None, items)


def mus_sample_size(
    total: float, tolerable: float, confidence: float = 0.95, expected: float = 0.0
) -> int:
    """The MUS sample size: total x confidence factor / (tolerable - expected x expansion).

    AICPA Audit Sampling guide, appendix C (tables C-1 and C-2, in data/sampling.yaml).
    """
    key = f"{confidence:.2f}"
    factors = parameters()["mus_confidence_factors"]
    if key not in factors:
        raise _refuse("workpaper.confidence", confidence=key, known=", ".join(factors))
    room = tolerable - expected * parameters()["mus_expansion_factors"][key]
    if room <= 0:
        raise _refuse("workpaper.tolerable", tolerable=tolerable, expected=expected)
    return max(1, int(np.ceil(total * factors[key] / room)))


def mus_sample(
    population: pl.DataFrame,
    size: int,
    seed: int,
    *,
    random_start: float | None = None,
) -> Sample:
    """Monetary-unit sample of ``size`` selection points on ``magnitude``.

    Values without a magnitude (not convertible to the common unit) or of magnitude zero
    cannot be picked and are left out of the population; the result says how many.
    A value hit by several points is listed once, with its number of ``hits``.
    """
    if size < 1:
        raise _refuse("workpaper.sample_size", size=size)
    eligible = _ordered(population.filter(pl.col("magnitude").is_not_null()))
    eligible = eligible.filter(pl.col("magnitude").abs() > 0)
    magnitude = eligible["magnitude"].abs().to_numpy()
    total = float(magnitude.sum())
    if total <= 0:
        raise _refuse("workpaper.no_magnitude")
    interval = total / size
    start = (
        random_start
        if random_start is not None
        else np.random.default_rng(seed).uniform(0, interval)
    )
    if not 0 <= start < interval:
        raise _refuse("workpaper.random_start", start=start, interval=interval)
    points = start + interval * np.arange(size)
    cumulative = np.cumsum(magnitude)
    picked = np.minimum(np.searchsorted(cumulative, points, side="left"), len(cumulative) - 1)
    rows, hits = np.unique(picked, return_counts=True)
    items = eligible[rows.tolist()].with_columns(
        hits=pl.Series(hits.tolist(), dtype=pl.Int64),
        cumulative=pl.Series(cumulative[rows].tolist(), dtype=pl.Float64),
        reason=pl.lit("mus"),
    )
    left_out = population.height - eligible.height
    return Sample(
        "mus", seed, eligible.height, total, items, interval, float(start), {"left_out": left_out}
    )


def risk_scores(population: pl.DataFrame) -> pl.DataFrame:
    """The population with a ``risk_score``: the weighted count of its risk flags."""
    weights = parameters()["risk"]["weights"]
    present = [flag for flag in RISK_FLAGS if flag in population.columns]
    score = (
        pl.sum_horizontal(
            [pl.col(flag).fill_null(False).cast(pl.Int64) * weights[flag] for flag in present]
        )
        if present
        else pl.lit(0)
    )
    return population.with_columns(risk_score=score)


def risk_sample(population: pl.DataFrame, size: int, seed: int) -> Sample:
    """The ``size`` riskiest flagged values; ties broken by a seeded random order.

    Only flagged values are drawn: a risk sample has fewer items when fewer values carry
    a flag, and says so, rather than padding with unflagged ones.
    """
    if size < 1:
        raise _refuse("workpaper.sample_size", size=size)
    scored = _ordered(risk_scores(population))
    rng = np.random.default_rng(seed)
    scored = scored.with_columns(tiebreak=pl.Series(rng.random(scored.height)))
    flagged = scored.filter(pl.col("risk_score") > 0)
    chosen = flagged.sort(["risk_score", "tiebreak"], descending=[True, False]).head(size)
    reasons = pl.concat_str(
        [pl.when(pl.col(flag)).then(pl.lit(flag)) for flag in RISK_FLAGS if flag in chosen.columns],
        separator=",",
        ignore_nulls=True,
    )
    items = chosen.drop("tiebreak").with_columns(reason=reasons)
    return Sample("risk", seed, scored.height, None, items, notes={"flagged": flagged.height})


def draw(population: pl.DataFrame, method: str, size: int, seed: int) -> Sample:
    """One sample by method name (random, mus, risk)."""
    methods = {"random": random_sample, "mus": mus_sample, "risk": risk_sample}
    if method not in methods:
        raise _refuse("workpaper.method", method=method, known=", ".join(methods))
    return methods[method](population, size, seed)
