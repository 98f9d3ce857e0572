"""Calculation scenarios: YAML files of hand-worked cases, collected as pytest items.

Each case gives entities, inputs by entity and period, the method set, and expected
outputs worked out by hand from a cited source. An expected output is a value for the
case's period, or ``{period: value}`` for several (months among them). ``notes`` lists
texts that must appear among the calculation's notes, ``no_notes_for`` beginnings
("indicator for entity") that no note may have. A failure names the file, the case and
every indicator@entity/period that differs, with expected and actual values.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.harness import run_case


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "scenarios":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        for case in yaml.safe_load(self.path.read_text(encoding="utf-8")):
            yield ScenarioItem.from_parent(self, name=case["name"], case=case)


class ScenarioMismatch(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class ScenarioItem(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        results = run_case(self.case, self.path.parent)
        margin = float(self.case.get("absolute_error_margin", 1e-6))
        wrong = []
        for code, expected_by_indicator in self.case["output"].items():
            for indicator, expected in expected_by_indicator.items():
                by_period = (
                    expected if isinstance(expected, dict) else {self.case["period"]: expected}
                )
                for period, value in by_period.items():
                    actual = results.value(indicator, code, str(period))
                    if not _close(actual, value, margin):
                        wrong.append(f"{indicator}@{code}/{period}: expected {value}, got {actual}")
        wrong += _wrong_notes(self.case, [str(d) for d in results.diagnostics])
        if wrong:
            raise ScenarioMismatch(wrong)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioMismatch):
            return "\n".join(
                [
                    f"{self.path.name} → {self.name}",
                    *excinfo.value.lines,
                    f"source: {self.case.get('source', 'not given')}",
                ]
            )
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"


def _wrong_notes(case: dict[str, Any], notes: list[str]) -> list[str]:
    wrong = [
        f"no note contains {text!r}; notes: {notes}"
        for text in case.get("notes", [])
        if not any(text in note for note in notes)
    ]
    return wrong + [
        f"a note concerns {start!r}: {note}"
        for start in case.get("no_notes_for", [])
        for note in notes
        if note.startswith(start)
    ]


def _close(actual: float, expected: Any, margin: float) -> bool:
    if expected is None:
        return math.isnan(actual)
    return not math.isnan(actual) and abs(actual - float(expected)) <= margin
