"""LCA speed: a product system of 500 processes, footprints of 50 products with their
contributions by process, against baselines measured in the same run.

Run:  .venv/bin/python benchmarks/lca_speed.py [--processes 500] [--products 50]
                                               [--repeats 7] [--budget 1.0]

The system is random but seeded: each process makes one product and takes two to four
others (cycles included, each column's inputs adding to less than its output so the
system solves), and emits a few of 20 flows. Timed on the same matrices:

* esgledger: ``solve_many`` (one sparse LU factorisation, all 50 demands at once) and the
  contribution of every process to every footprint (``column_contributions``);
* dense numpy: ``numpy.linalg.solve`` on the dense A for each product in turn, with the
  same contributions (what a spreadsheet-minded implementation does);
* bw2calc: Brightway's LCA on a datapackage of the same matrices, ``lci``/``lcia`` for the
  first product and ``lcia(demand=...)`` for the others (it keeps its factorisation).

Each is run ``--repeats`` times: the first run (cold) and the median and spread of the
warm ones are printed, with the ratios to esgledger. All three must give the same
footprints to 1e-9 (checked before timing); esgledger's warm median must stay under
``--budget`` seconds, or the script exits 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
from scipy import sparse

from esgledger.products.matrices import FlowRow, Matrices
from esgledger.products.solve import column_contributions, solve_many

FLOWS = 20


def random_system(processes: int, products_demanded: int, seed: int) -> tuple[Matrices, np.ndarray]:
    """A solvable random system and a demand matrix (products x products_demanded)."""
    rng = np.random.default_rng(seed)
    rows, cols, values = list(range(processes)), list(range(processes)), [1.0] * processes
    for col in range(processes):
        takes = rng.choice(processes, size=int(rng.integers(2, 5)), replace=False)
        takes = takes[takes != col]
        amounts = rng.dirichlet(np.ones(len(takes))) * rng.uniform(0.2, 0.8)
        rows += takes.tolist()
        cols += [col] * len(takes)
        values += (-amounts).tolist()
    bio_rows = rng.integers(0, FLOWS, size=processes * 3)
    bio_cols = np.repeat(np.arange(processes), 3)
    techno = sparse.coo_matrix((values, (rows, cols)), shape=(processes, processes)).tocsc()
    bio = sparse.coo_matrix(
        (rng.uniform(0.1, 10.0, len(bio_rows)), (bio_rows, bio_cols)), shape=(FLOWS, processes)
    ).tocsc()
    names = tuple(f"p{i}" for i in range(processes))
    flows = tuple(
        FlowRow(f"flow{i}", "CO2", float(rng.uniform(1, 100)), "direct", 0.0) for i in range(FLOWS)
    )
    matrices = Matrices(
        techno,
        bio,
        np.array([f.factor for f in flows]),
        names,
        names,
        names,
        flows,
        dict.fromkeys(names, "kg"),
    )
    chosen = rng.choice(processes, size=products_demanded, replace=False)
    demands = np.zeros((processes, products_demanded))
    demands[chosen, np.arange(products_demanded)] = 1.0
    return matrices, demands


def esgledger_run(matrices: Matrices, demands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    solutions = solve_many(matrices, demands)
    scalings = np.column_stack([s.scaling for s in solutions])
    return np.array([s.score for s in solutions]), column_contributions(matrices, scalings)


def dense_run(matrices: Matrices, demands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = matrices.technosphere.toarray(), matrices.biosphere.toarray()
    c = matrices.characterisation
    per_column = b.T @ c
    scores, parts = [], []
    for k in range(demands.shape[1]):
        scaling = np.linalg.solve(a, demands[:, k])
        parts.append(per_column * scaling)
        scores.append(c @ (b @ scaling))
    return np.array(scores), np.column_stack(parts)


def brightway_run(matrices: Matrices, demands: np.ndarray) -> tuple[np.ndarray, None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import bw2calc
        import bw_processing as bwp
    package = bwp.create_datapackage()
    for name, m, base in (
        ("technosphere_matrix", matrices.technosphere.tocoo(), 0),
        ("biosphere_matrix", matrices.biosphere.tocoo(), 10**6),
    ):
        idx = np.array(list(zip(m.row + base, m.col, strict=True)), dtype=bwp.INDICES_DTYPE)
        package.add_persistent_vector(
            matrix=name,
            name=name,
            indices_array=idx,
            data_array=m.data.copy(),
            flip_array=np.zeros(len(m.data), dtype=bool),
        )
    flows = np.arange(len(matrices.flows)) + 10**6
    package.add_persistent_vector(
        matrix="characterization_matrix",
        name="cf",
        data_array=matrices.characterisation.copy(),
        indices_array=np.array(list(zip(flows, flows, strict=True)), dtype=bwp.INDICES_DTYPE),
    )
    products = [int(np.flatnonzero(demands[:, k])[0]) for k in range(demands.shape[1])]
    lca = bw2calc.LCA({products[0]: 1.0}, data_objs=[package])
    lca.lci()
    lca.lcia()
    scores = [lca.score]
    for product in products[1:]:
        lca.lcia(demand={product: 1.0})
        scores.append(lca.score)
    return np.array(scores), None


def timed(run: Callable, matrices: Matrices, demands: np.ndarray, repeats: int) -> list[float]:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(matrices, demands)
        seconds.append(time.perf_counter() - start)
    return seconds


def check_agreement(matrices: Matrices, demands: np.ndarray) -> None:
    """All three give the same footprints and the same contributions (rel. 1e-9)."""
    ours, our_parts = esgledger_run(matrices, demands)
    dense, dense_parts = dense_run(matrices, demands)
    brightway, _ = brightway_run(matrices, demands)
    np.testing.assert_allclose(ours, dense, rtol=1e-9)
    np.testing.assert_allclose(ours, brightway, rtol=1e-9)
    np.testing.assert_allclose(our_parts, dense_parts, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(our_parts.sum(axis=0), ours, rtol=1e-9)


def report(name: str, seconds: list[float], reference: float) -> str:
    warm = seconds[1:] or seconds
    median = statistics.median(warm)
    spread = max(warm) - min(warm)
    return (
        f"{name:<11} first {seconds[0]:8.4f} s  warm median {median:8.4f} s "
        f"(spread {spread:.4f})  x{median / reference:6.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=500)
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0)
    args = parser.parse_args(argv)
    matrices, demands = random_system(args.processes, args.products, seed=2024)
    check_agreement(matrices, demands)
    ours = timed(esgledger_run, matrices, demands, args.repeats)
    reference = statistics.median(ours[1:] or ours)
    print(f"{args.processes} processes, {args.products} products, {args.repeats} runs each")
    print(report("esgledger", ours, reference))
    print(report("dense numpy", timed(dense_run, matrices, demands, args.repeats), reference))
    print(report("bw2calc", timed(brightway_run, matrices, demands, args.repeats), reference))
    if reference >= args.budget:
        print(f"over budget: {reference:.3f} s >= {args.budget} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
