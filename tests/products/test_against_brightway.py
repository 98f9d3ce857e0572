"""The matrix LCA agrees with Brightway (bw2calc) on the same system to 1e-9.

The three-process chain (under each allocation) and a random 60-process system are
written as bw_processing datapackages, solved by bw2calc's LCA, and the scores compared.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from esgledger.factors import load_factor_sets
from esgledger.products.compute import compute_footprint
from esgledger.products.loading import read_system
from esgledger.products.matrices import Matrices
from esgledger.products.model import Allocation
from esgledger.products.service import offline_inputs
from esgledger.products.solve import solve_many

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # bw2calc suggests pypardiso on x86
    import bw2calc
    import bw_processing as bwp

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "lca_speed.py"
SYSTEM = Path(__file__).with_name("systems") / "three_process.yaml"
PRODUCT_IDS, COLUMN_IDS, FLOW_IDS = 1, 100_000, 200_000


def brightway_score(matrices: Matrices, demand: np.ndarray) -> float:
    """bw2calc's score for ``demand`` on A, B and c put into one datapackage."""
    package = bwp.create_datapackage()
    for name, matrix, row_base in (
        ("technosphere_matrix", matrices.technosphere.tocoo(), PRODUCT_IDS),
        ("biosphere_matrix", matrices.biosphere.tocoo(), FLOW_IDS),
    ):
        indices = np.array(
            [(r + row_base, c + COLUMN_IDS) for r, c in zip(matrix.row, matrix.col, strict=True)],
            dtype=bwp.INDICES_DTYPE,
        )
        package.add_persistent_vector(
            matrix=name,
            name=name,
            indices_array=indices,
            data_array=matrix.data.copy(),
            flip_array=np.zeros(len(matrix.data), dtype=bool),
        )
    flows = np.arange(len(matrices.flows)) + FLOW_IDS
    package.add_persistent_vector(
        matrix="characterization_matrix",
        name="characterization",
        indices_array=np.array(list(zip(flows, flows, strict=True)), dtype=bwp.INDICES_DTYPE),
        data_array=matrices.characterisation.copy(),
    )
    wanted = {int(i) + PRODUCT_IDS: float(v) for i, v in enumerate(demand) if v}
    lca = bw2calc.LCA(wanted, data_objs=[package])
    lca.lci()
    lca.lcia()
    return float(lca.score)


@pytest.mark.parametrize("allocation", list(Allocation))
def test_the_three_process_chain_agrees_with_bw2calc(allocation):
    system = read_system(SYSTEM)
    result = compute_footprint(
        system, offline_inputs(system, load_factor_sets(), 2024), allocation=allocation
    )
    demand = result.matrices.demand("metal", 0.001)
    assert result.solution.score == pytest.approx(
        brightway_score(result.matrices, demand), rel=1e-9, abs=1e-12
    )


def test_a_random_system_with_cycles_agrees_with_bw2calc():
    spec = importlib.util.spec_from_file_location("lca_speed", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    matrices, demands = module.random_system(60, 3, seed=3)
    for k, solution in enumerate(solve_many(matrices, demands)):
        assert solution.score == pytest.approx(brightway_score(matrices, demands[:, k]), rel=1e-9)
