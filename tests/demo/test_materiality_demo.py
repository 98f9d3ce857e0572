"""The demo group's assessment comes out with the tiers its 2024 report publishes."""

from __future__ import annotations

import yaml

from esgledger.demo.materiality import assessment_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.materiality.summary import assessment

LEVEL_TIER = {"high": "high", "moderate": "moderate", "material": "material", "low": "not_material"}


def test_the_demo_tiers_are_the_published_ones_and_2023_gives_movement(demo_ledger):
    declared = yaml.safe_load(assessment_file().read_text(encoding="utf-8"))["topics"]
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        result = assessment(session, 2024, "zh")
    database.dispose()
    tiers = {row["id"]: row["tier"] for row in result.rows}
    assert tiers == {t["id"]: LEVEL_TIER[t["level"]] for t in declared}
    counts = [sum(1 for t in tiers.values() if t == tier) for tier in LEVEL_TIER.values()]
    assert counts == [5, 18, 5, 6]  # the report: 5 highly, 18 moderately, 5 material
    climate = next(r for r in result.rows if r["id"] == "climate_change")
    assert climate["tier_before"] == "moderate" and climate["impact_change"] > 0
    assert all(g["issued"] >= g["answered"] > 0 for g in result.groups)
