"""Pathways: scenarios projected to 2060, peak year, gaps to targets, abatement cost curves.

Read a scenario with :func:`load_scenario`, take the base year from engine results with
:func:`pathway_baseline` (or :func:`baseline_from_results`), then :func:`run_pathway`
gives a :class:`PathwayResult` (rows by year, peak, gaps, MAC curve, band) and
:func:`compare` puts several side by side. :func:`project` returns the raw arrays.
See docs/targets-and-pathways.md.
"""

from esgledger.pathways.baseline import Baseline, baseline_from_results
from esgledger.pathways.loader import check_scenario, load_scenario
from esgledger.pathways.mac import MacRow, mac_curve, mac_rows
from esgledger.pathways.project import Projection, indicator_series, project
from esgledger.pathways.run import ComparisonRow, PathwayResult, compare, run_pathway
from esgledger.pathways.scenario import Scenario
from esgledger.pathways.service import latest_actual_year, ledger_results, pathway_baseline
from esgledger.pathways.summary import BandPoint, Gap, Goal, Peak, YearRow, band_series

__all__ = [
    "BandPoint",
    "Baseline",
    "ComparisonRow",
    "Gap",
    "Goal",
    "MacRow",
    "PathwayResult",
    "Peak",
    "Projection",
    "Scenario",
    "YearRow",
    "band_series",
    "baseline_from_results",
    "check_scenario",
    "compare",
    "indicator_series",
    "latest_actual_year",
    "ledger_results",
    "load_scenario",
    "mac_curve",
    "mac_rows",
    "pathway_baseline",
    "project",
    "run_pathway",
]
