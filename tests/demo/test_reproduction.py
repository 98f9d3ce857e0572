"""The engine's results for the demo reproduce the reference report's published figures.

The figures (demo/data/published_figures.csv) are transcribed from the report with their
line; the demo's inputs are generated from other files (published.yaml, modeled.yaml). The
check must fail when either side changes: one published figure in a copy of the CSV, or
one input row of the demo.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from esgledger.calc.published import Status, read_figures, reproduce, summary
from esgledger.catalog import load_catalog
from esgledger.demo.frame import observations_frame
from esgledger.demo.generate import DATA_DIR, factor_file, rows
from esgledger.demo.reproduce import FIGURES_FILE, published_figures, reproduce_demo
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.errors import EsgError, ValidationFailed
from esgledger.factors import load_factor_sets
from esgledger.org import OrgTree, read_entities

REPORT_TEXT = Path("/work/shared/reference/esg-report-2024.txt")
YEARS = ["2022", "2023", "2024"]
# What the engine cannot compute from the demo, and why (the reason the check gives).
NOT_COMPUTED = {
    "circular.co2_recovered": "the ledger has no circular.co2_recovered",  # left out on purpose
    "": "no catalog indicator",  # five text figures the catalog has no indicator for
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _results(demo_rows, catalog):
    """The demo rows computed under cn-default with the demo factor file (no ledger needed)."""
    org = OrgTree(read_entities(DATA_DIR / "org.yaml"))
    (method_set,) = get_method_sets("cn-default")
    library = load_factor_sets([factor_file()])
    return calculate(observations_frame(demo_rows), org, catalog, library, method_set, YEARS)


@pytest.fixture(scope="module")
def results(catalog):
    return _results(rows(), catalog)


@pytest.fixture(scope="module")
def checked(results, catalog):
    return reproduce_demo(results, catalog)


def test_every_figure_with_demo_data_is_reproduced(checked):
    assert len(checked) >= 110
    assert not [r for r in checked if r.status is Status.DIFFERS]
    for item in checked:
        if item.status is Status.NOT_COMPUTED:
            assert NOT_COMPUTED[item.figure.indicator] in item.reason, item
    reproduced = [r for r in checked if r.status is Status.REPRODUCED]
    assert summary(checked).startswith(f"{len(reproduced)} of {len(checked)} published figures")


def test_the_published_ratios_come_from_the_engine(checked):
    """Intensities and shares the engine computes, among them the smelting water intensity
    whose numerator the demo once lacked (15.71 / 13.99 / 13.47 m3/tREO)."""
    ratios = {
        (r.figure.indicator, r.figure.period): r
        for r in checked
        if r.figure.indicator
        in ("water.intensity_per_treo_smelting", "energy.intensity_per_treo", "rd.intensity")
    }
    assert len(ratios) == 7 and all(r.status is Status.REPRODUCED for r in ratios.values())
    assert ratios[("water.intensity_per_treo_smelting", "2022")].engine == pytest.approx(15.71)
    assert ratios[("energy.intensity_per_treo", "2024")].engine == pytest.approx(919, abs=0.5)


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = FIGURES_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    copy = tmp_path / "published_figures.csv"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("old", "new", "indicator", "difference"),
    [
        (
            ",2024,13.47,m3/tREO,",
            ",2024,13.48,m3/tREO,",
            "water.intensity_per_treo_smelting",
            -0.01,
        ),
        (",2024,819687,MWh,", ",2024,819688,MWh,", "energy.purchased_electricity", -1.0),
        (
            "female_director_share,group,2024,35.71,",
            "female_director_share,group,2024,35.7,",
            "gov.female_director_share",
            0.0143,
        ),
    ],
)
def test_a_changed_published_figure_fails_the_check(
    tmp_path, results, catalog, old, new, indicator, difference
):
    checked = reproduce_demo(results, catalog, _mutated(tmp_path, old, new))
    differing = [r for r in checked if r.status is Status.DIFFERS]
    assert len(differing) == 1
    assert differing[0].figure.indicator == indicator
    assert differing[0].difference == pytest.approx(difference, abs=1e-4)
    assert summary(checked).startswith(f"{len(checked) - 7} of {len(checked)}")


def test_a_changed_demo_input_fails_the_check(catalog):
    """One entity's yearly fresh water for smelting, 2024, raised by 1 %: the intensity moves."""
    changed = []
    for row in rows():
        if (row["indicator"], row["entity"], row["period"]) == (
            "water.fresh_withdrawal_smelting_separation",
            "SMELT-HYD",
            "2024",
        ):
            row = {**row, "value": str(Decimal(row["value"]) * Decimal("1.01"))}
        changed.append(row)
    assert changed != rows()
    checked = reproduce_demo(_results(changed, catalog), catalog)
    differing = {
        (r.figure.indicator, r.figure.period) for r in checked if r.status is Status.DIFFERS
    }
    assert differing == {("water.intensity_per_treo_smelting", "2024")}


def test_a_missing_input_is_named_as_the_reason(catalog):
    """Without the smelting water rows, the engine leaves the intensity empty and says why."""
    kept = [r for r in rows() if r["indicator"] != "water.fresh_withdrawal_smelting_separation"]
    checked = reproduce_demo(_results(kept, catalog), catalog)
    water = [r for r in checked if r.figure.indicator == "water.intensity_per_treo_smelting"]
    assert len(water) == 3 and all(r.status is Status.NOT_COMPUTED for r in water)
    assert "water.fresh_withdrawal_smelting_separation" in water[0].reason


def test_a_figure_for_an_unknown_scope_cannot_be_computed(tmp_path, results, catalog):
    copy = _mutated(tmp_path, "energy.pv_capacity,subtree:SMELT,", "energy.pv_capacity,NOPE,")
    (item,) = [r for r in reproduce_demo(results, catalog, copy) if r.figure.scope == "NOPE"]
    assert item.status is Status.NOT_COMPUTED and "neither an entity nor" in item.reason


def test_units_convert_before_comparing(tmp_path, results, catalog):
    """The PV plant's '7 million kWh' is held in kWh against the engine's MWh."""
    (item,) = [r for r in reproduce_demo(results, catalog) if r.figure.unit == "kWh"]
    assert item.status is Status.REPRODUCED and item.engine == pytest.approx(7_000_000)


def test_bad_rows_are_refused_with_their_row_and_column(tmp_path, catalog):
    text = FIGURES_FILE.read_text(encoding="utf-8")
    text = text.replace(",2024,41225,t,", ",2024,41x225,t,")
    text = text.replace("water.recycled,group,2022,6106,ML,", "water.recycld,group,2022,6106,ML,")
    text = text.replace(
        "energy.natural_gas,group,2022,95983976,Nm3,", "energy.natural_gas,group,2022,95983976,kg,"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_figures(bad, catalog)
    problems = {(p.location.column, p.reason) for p in caught.value.problems}
    assert ("value", "not a non-negative number") in problems
    assert ("indicator", "not in the catalog") in problems
    assert ("unit", "does not convert to Nm3") in problems
    assert all(p.location.row and p.location.file == "bad.csv" for p in caught.value.problems)


def test_a_bad_row_reads_in_chinese(tmp_path, catalog):
    text = FIGURES_FILE.read_text(encoding="utf-8").replace(
        "energy.natural_gas,group,2022,95983976,Nm3,", "energy.natural_gas,group,2022,95983976,kg,"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_figures(bad, catalog)
    assert caught.value.code == "published_report.refused"
    (problem,) = caught.value.problems
    assert problem.code == "published_report.row.unit_mismatch"
    assert "'unit' 列（值 'kg'）：无法换算为 Nm3。请使用 Nm3。" in problem.render("zh")
    assert caught.value.render("zh").startswith(f"{bad}：1 个问题；未作任何核对")


def test_tolerance_is_half_a_unit_of_the_last_printed_digit(catalog):
    """Where the report prints the figure as a plain number in its unit, the stated tolerance
    is exactly half a unit of its last digit (others state theirs: '1.004 billion yuan')."""
    plain = 0
    for figure in published_figures(catalog):
        number = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?:%| Tons)?", figure.printed)
        if number:
            digits = Decimal(number.group(1).replace(",", ""))
            assert digits == figure.value, figure
            half = Decimal(1).scaleb(digits.as_tuple().exponent) / 2
            assert figure.tolerance == half, figure
            plain += 1
    assert plain > 40


@pytest.mark.skipif(not REPORT_TEXT.exists(), reason="the reference report is not available")
def test_every_figure_is_printed_on_its_cited_line(catalog):
    lines = REPORT_TEXT.read_text(encoding="utf-8").splitlines()
    for figure in published_figures(catalog):
        assert figure.printed in lines[figure.line - 1], figure


def test_each_figure_is_listed_once(catalog):
    keys = [(f.indicator, f.scope, f.period, f.printed) for f in published_figures(catalog)]
    assert len(keys) == len(set(keys))


def test_reproduce_compares_what_it_is_given(results, catalog):
    """The check reads nothing but the figures and the results it is handed."""
    figures = published_figures(catalog)[:3]
    assert [r.figure for r in reproduce(figures, results)] == list(figures)


def test_a_missing_file_or_column_is_a_clear_error(tmp_path, catalog):
    with pytest.raises(EsgError, match="cannot read the published figures"):
        read_figures(tmp_path / "none.csv", catalog)
    headless = tmp_path / "short.csv"
    headless.write_text("indicator,scope,period,value\nenergy.diesel,group,2024,931\n")
    with pytest.raises(EsgError, match="the header lacks unit, tolerance"):
        read_figures(headless, catalog)
