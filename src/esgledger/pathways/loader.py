"""Load a scenario file, then check it against the baseline it will be projected from.

The file's shape is checked by pydantic when it is read; what it names (segments,
carriers) can only be checked once the base year is known. Both kinds of problem are
reported with the file and line, every one at once, and nothing is projected while one
remains.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.catalog.declarations import line_of, read_model
from esgledger.errors import Location, Problem, ValidationFailed
from esgledger.pathways.baseline import Baseline
from esgledger.pathways.scenario import Scenario


def load_scenario(path: Path) -> Scenario:
    """The scenario in ``path``, remembering where each field is written.

    Raises:
        ValidationFailed: the file is missing, not YAML, or has invalid fields.
    """
    scenario, node = read_model(path, Scenario, "declaration.scenario")
    scenario._source = (str(path), node)
    return scenario


def where(scenario: Scenario, *path: object) -> Location:
    """The file and line of a field of a loaded scenario (only the field for one built in code)."""
    column = ".".join(str(part) for part in path)
    source = getattr(scenario, "_source", None)
    if not source:
        return Location(file=f"scenario {scenario.name}", column=column)
    file, node = source
    return Location(file=file, line=line_of(node, path), column=column)


def check_scenario(scenario: Scenario, baseline: Baseline) -> None:
    """Refuse a scenario naming segments or carriers the base year does not have.

    Raises:
        ValidationFailed: listing every problem with its line and the names that exist.
    """
    problems = [*_years(scenario, baseline), *_segments(scenario, baseline)]
    problems += _carriers(scenario, baseline)
    if problems:
        raise ValidationFailed.refusing(
            problems, "scenario.problems", name=scenario.name, count=len(problems)
        )


def _problem(location: Location, value: object, code: str, **params: object) -> Problem:
    return Problem.coded(location, None if value is None else str(value), code, **params)


def _years(scenario: Scenario, baseline: Baseline) -> list[Problem]:
    if scenario.end_year > baseline.year:
        return []
    return [
        _problem(
            where(scenario, "end_year"),
            scenario.end_year,
            "scenario.end_year_early",
            year=baseline.year,
        )
    ]


def _segments(scenario: Scenario, baseline: Baseline) -> list[Problem]:
    known = sorted(set(baseline.segments))
    named = [(("growth", key), key) for key in scenario.growth if key != "default"]
    for field in ("capacity_changes", "efficiency", "fuel_switches", "process_changes"):
        named += [
            ((field, i, "segment"), m.segment) for i, m in enumerate(getattr(scenario, field))
        ]
    named += [
        (("carbon_capture", i, "segment"), m.segment) for i, m in enumerate(scenario.carbon_capture)
    ]
    problems = []
    for path, segment in named:
        allowed = known if path[0] == "growth" else ["all", *known]
        if segment not in allowed:
            at = where(scenario, *path)
            problems.append(
                _problem(at, segment, "scenario.segment_unknown", known=", ".join(known))
            )
    problems += _empty_outputs(scenario, baseline)
    return problems


def _empty_outputs(scenario: Scenario, baseline: Baseline) -> list[Problem]:
    problems = []
    for i, change in enumerate(scenario.capacity_changes):
        if change.output is None or change.segment not in (*baseline.segments, "all"):
            continue
        name = "production.metal_output" if change.unit == "t" else "production.reo_output"
        cells = [change.segment in ("all", s) for s in baseline.segments]
        if not baseline.outputs[name][cells].sum() > 0:
            at = where(scenario, "capacity_changes", i, "output")
            code = "scenario.output_unreported"
            problems.append(_problem(at, change.output, code, name=name, year=baseline.year))
    return problems


def _carriers(scenario: Scenario, baseline: Baseline) -> list[Problem]:
    fuels = list(baseline.carriers)
    problems = []
    for i, measure in enumerate(scenario.efficiency):
        if measure.carrier not in ("all", "fuels", "electricity", "steam", *fuels):
            path = where(scenario, "efficiency", i, "carrier")
            code = "scenario.carrier_unknown"
            problems.append(_problem(path, measure.carrier, code, fuels=", ".join(fuels)))
    for i, switch in enumerate(scenario.fuel_switches):
        if switch.from_carrier not in fuels:
            path = where(scenario, "fuel_switches", i, "from")
            code = "scenario.fuel_unknown"
            problems.append(_problem(path, switch.from_carrier, code, fuels=", ".join(fuels)))
        if switch.to not in (*fuels, "electricity") and switch.to_emission_factor is None:
            path = where(scenario, "fuel_switches", i, "to")
            problems.append(_problem(path, switch.to, "scenario.no_factor"))
    problems += _switched_shares(scenario)
    return problems


def _switched_shares(scenario: Scenario) -> list[Problem]:
    """More than all of a fuel cannot be switched away in one segment."""
    totals: dict[tuple[str, str], float] = {}
    for switch in scenario.fuel_switches:
        key = (switch.segment, switch.from_carrier)
        totals[key] = totals.get(key, 0.0) + switch.share_pct
    return [
        _problem(
            where(scenario, "fuel_switches"),
            f"{share:g} %",
            "scenario.over_switched",
            share=f"{share:g}",
            carrier=carrier,
            segment=segment,
        )
        for (segment, carrier), share in totals.items()
        if share > 100
    ]
