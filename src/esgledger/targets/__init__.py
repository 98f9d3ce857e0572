"""Targets: commitments declared as data and their status for every period.

Call :func:`load_targets` to read a file, :func:`targets_status` to judge it on a ledger,
or :func:`evaluate_targets` on results already computed; :func:`trajectory_series` gives
chart data. See docs/targets-and-pathways.md.
"""

from esgledger.targets.evaluate import TargetReport, evaluate_targets
from esgledger.targets.loader import load_targets
from esgledger.targets.model import Status, Target, TargetFile, TargetType
from esgledger.targets.restate import Restatement
from esgledger.targets.series import SeriesPoint, trajectory_series
from esgledger.targets.service import TargetsStatus, targets_status
from esgledger.targets.status import YearStatus

__all__ = [
    "Restatement",
    "SeriesPoint",
    "Status",
    "Target",
    "TargetFile",
    "TargetReport",
    "TargetType",
    "TargetsStatus",
    "YearStatus",
    "evaluate_targets",
    "load_targets",
    "targets_status",
    "trajectory_series",
]
