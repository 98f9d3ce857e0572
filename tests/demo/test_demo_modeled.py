"""Every demo value the reference report does not publish as is carries the tier ``modeled``.

The demo uses the real group's name, so nothing it invents may pass for the group's own
figure: a month, a subsidiary's share of a published total, a figure the report never gives.
Only a yearly figure held whole by the entity the report speaks of is left unmarked.
"""

from __future__ import annotations

import pytest

from esgledger.calc.service import run_calculation
from esgledger.catalog import load_catalog
from esgledger.demo import generate
from esgledger.demo.generate import MODELED, rows
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file


@pytest.fixture(scope="module")
def demo_rows() -> list[dict[str, str]]:
    return rows()


def test_only_figures_as_published_are_left_unmarked(demo_rows):
    figures = generate.load_figures()
    assert {r["quality"] for r in demo_rows} == {"", MODELED}
    unmarked = {(r["indicator"], r["entity"], r["period"]) for r in demo_rows if not r["quality"]}
    assert ("org.affiliates_count", "NRE", "2024") in unmarked
    for indicator, entity, period in unmarked:
        figure = figures[indicator]
        assert int(period) in figure.published_years, (indicator, period)
        assert entity == (figure.scope or "NRE"), (indicator, entity)
    assert sum(r["quality"] == MODELED for r in demo_rows) > 0.95 * len(demo_rows)


@pytest.mark.parametrize(
    ("indicator", "entity", "period"),
    [
        ("energy.purchased_electricity", "SMELT-HYD", "2024-03"),  # a month of a published total
        ("waste.household", "HEFA", "2024"),  # a subsidiary's share of a published total
        ("energy.pv_capacity", "SMELT-PV", "2024"),  # placed at a facility of the named entity
        ("production.reo_output", "SMELT-HYD", "2024-01"),  # the report never gives it
        ("org.revenue", "NRE", "2024"),  # a group figure the demo assumes
    ],
)
def test_splits_placements_and_assumptions_are_modeled(demo_rows, indicator, entity, period):
    (row,) = [
        r
        for r in demo_rows
        if (r["indicator"], r["entity"], r["period"]) == (indicator, entity, period)
    ]
    assert row["quality"] == MODELED


def test_the_ledger_keeps_the_modeled_tier_and_does_not_count_it_estimated(ledger, write_csv):
    """`modeled` is a tier the importer accepts and stores like the others."""
    path = write_csv(
        "modeled.csv",
        [
            ("SMELT", "2024", "water.recycled", "5", "ML", "", "modeled"),
            ("METAL", "2024", "water.recycled", "3", "ML", "", "estimated"),
        ],
        header="entity,period,indicator,value,unit,comment,quality",
    )
    catalog = load_catalog()
    with unit_of_work(ledger) as session:
        import_file(session, path, "reporter", catalog, submit=True)
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())
    with unit_of_work(ledger) as session:
        stored = {r.entity: r.quality for r in revisions.latest_revisions(session)}
        run = run_calculation(
            session,
            catalog,
            get_method_sets(DEFAULT_METHOD_SET),
            author="manager",
            years=[2024],
            record_snapshot=False,
        )
    assert stored == {"SMELT": "modeled", "METAL": "estimated"}
    # 3 of the 8 ML rest on the estimated value; the modeled 5 ML are not "estimated"
    assert run.results[0].estimated_share("water.recycled", "group", "2024") == pytest.approx(3 / 8)
