"""The index of indicators: every framework item, and where the report discloses it.

An item is disclosed exactly when at least one indicator mapped to it (catalog
``frameworks:``) has a value for the report year; its place is the table showing that
value. The reference report's own index marks items "/" that its body discloses; computing
the status from the ledger keeps the index and the tables in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

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
    answered: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
) -> dict[str, list[IndexItem]]:
    """Per framework, each of its items with the places it is disclosed (none → "/").

    An item the report answers by itself (GRI 2-3: the reporting period is in "About this
    report") names that section in its framework file (``covered_by``), first; then the
    sections whose narrative blocks answer it (``answered``: the chairman's message answers
    GRI 2-22), then the tables showing a value of its indicators."""
    answered = answered or {}
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
            covered = (f"{SECTION}{item.covered_by}",) if item.covered_by else ()
            covered += tuple(
                p for p in answered.get((framework, item.code), ()) if p not in covered
            )
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


def without_empty_sections(
    index: dict[str, list[IndexItem]], empty: Sequence[str]
) -> dict[str, list[IndexItem]]:
    """The index without places that are sections with nothing to show (a register section
    whose register holds no item answers no item: "/")."""
    dropped = {f"{SECTION}{section}" for section in empty}
    if not dropped:
        return index
    return {
        framework: [
            replace(item, places=tuple(p for p in item.places if p not in dropped))
            for item in items
        ]
        for framework, items in index.items()
    }
