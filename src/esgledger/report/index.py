"""The index of indicators: every framework item, and where the report discloses it.

An item is disclosed exactly when at least one indicator mapped to it (catalog
``frameworks:``) has a value for the report year; its place is the table showing that
value. The reference report's own index marks items "/" that its body discloses; computing
the status from the ledger keeps the index and the tables in step.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from esgledger.catalog.registry import Catalog
from esgledger.report.facts import AnnexValue, IndexItem, Table

ANNEX = "annex"
SECTION = "section:"  # a place that is a whole section of the report (framework ``covered_by``)


def disclosed_places(tables: Sequence[Table], annex: Sequence[AnnexValue], year: str) -> dict:
    """Indicator → the tables (in document order) showing a value of it for ``year``."""
    places: dict[str, list[str]] = {}
    for table in tables:
        for row in table.data_rows():
            if row.cells and row.cells[-1].year == year and row.cells[-1].value is not None:
                _add(places, row.indicator, table.id)
    for value in annex:
        if value.table == ANNEX and value.year == year:
            _add(places, value.indicator, ANNEX)
    return places


def _add(places: dict[str, list[str]], indicator: str, where: str) -> None:
    found = places.setdefault(indicator, [])
    if where not in found:
        found.append(where)


def build_index(
    catalog: Catalog,
    frameworks: Sequence[str],
    places: dict[str, list[str]],
    order: Sequence[str],
    absent_sections: Collection[str] = (),
) -> dict[str, list[IndexItem]]:
    """Per framework, each of its items with the places it is disclosed (none → "/").

    An item the report answers by itself (GRI 2-3: the reporting period is in "About this
    report") names that section in its framework file (``covered_by``), first, unless the
    section has nothing to say this year (``absent_sections``: no materiality assessment
    recorded, so GRI 3-1 is not disclosed)."""
    rank = {table_id: position for position, table_id in enumerate([*order, ANNEX])}
    index = {}
    for framework in frameworks:
        items = []
        for item in catalog.framework_items(framework):
            found = {
                place
                for indicator in catalog.indicators_for(framework, item.code)
                for place in places.get(indicator.id, ())
            }
            answered = item.covered_by and item.covered_by not in absent_sections
            covered = (f"{SECTION}{item.covered_by}",) if answered else ()
            items.append(
                IndexItem(
                    framework,
                    item.code,
                    item.title_en,
                    item.title_zh,
                    item.section or "",
                    covered + tuple(sorted(found, key=rank.__getitem__)),
                    item.section_zh,
                    item.code_zh,
                )
            )
        index[framework] = items
    return index
