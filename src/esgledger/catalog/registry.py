"""The loaded catalog: look indicators up, list them by topic, walk their dependencies.

A :class:`Catalog` is immutable once built by :func:`~esgledger.catalog.loader.load_catalog`,
which has already checked it (unique ids, known references, no cycles), so its methods
never need to re-validate.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from esgledger.catalog.graph import topological_order
from esgledger.catalog.model import FrameworkItem, Indicator, Kind
from esgledger.errors import NotFoundError


class Catalog:
    """Indicators by id, in file order, with the framework items they map to.

    Args:
        indicators: the indicators, ids unique.
        framework_items: per framework name (``gri``, ``sasac``...), its disclosure items.
    """

    def __init__(
        self,
        indicators: Iterable[Indicator],
        framework_items: Mapping[str, Sequence[FrameworkItem]] | None = None,
    ) -> None:
        self._by_id = {indicator.id: indicator for indicator in indicators}
        self._frameworks = {name: tuple(items) for name, items in (framework_items or {}).items()}

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id; a typo gets the closest ids as suggestions.

        Raises:
            NotFoundError: no indicator has this id.
        """
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise NotFoundError(_not_found_message(indicator_id, self._by_id)) from None

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"Catalog({len(self)} indicators, {len(self.topics())} topics)"

    def ids(self) -> list[str]:
        """Every id, in file order (topic files by name, entries as written)."""
        return list(self._by_id)

    def inputs(self) -> list[Indicator]:
        """Indicators that subsidiaries report (the ledger stores only these)."""
        return [ind for ind in self if ind.kind is Kind.INPUT]

    def derived(self) -> list[Indicator]:
        """Indicators the engine computes."""
        return [ind for ind in self if ind.kind is Kind.DERIVED]

    def topics(self) -> list[str]:
        """Topics in the order their first indicator appears."""
        return list(dict.fromkeys(ind.topic for ind in self))

    def by_topic(self, topic: str) -> list[Indicator]:
        """The indicators of one topic (one data file, e.g. ``energy``).

        Raises:
            NotFoundError: no indicator has this topic.
        """
        found = [ind for ind in self if ind.topic == topic]
        if not found:
            raise NotFoundError(_not_found_message(topic, self.topics(), what="topic"))
        return found

    def dependencies(self, indicator_id: str) -> tuple[str, ...]:
        """Ids ``indicator_id`` is directly computed from (adds, ratio or formula)."""
        return self.get(indicator_id).dependencies

    def dependents(self, indicator_id: str) -> list[str]:
        """Ids directly computed from ``indicator_id``: what changes when it changes."""
        self.get(indicator_id)
        return [ind.id for ind in self if indicator_id in ind.dependencies]

    def evaluation_order(self) -> list[str]:
        """All ids, each after the ids it depends on: the order the engine computes in."""
        return topological_order({ind.id: ind.dependencies for ind in self})

    def frameworks(self) -> list[str]:
        """Names of the frameworks whose items are loaded."""
        return list(self._frameworks)

    def framework_items(self, framework: str) -> tuple[FrameworkItem, ...]:
        """Every disclosure item of ``framework`` (``gri``, ``sse14``, ``sasac``, ``ifrs_s2``...).

        Raises:
            NotFoundError: the framework is not loaded.
        """
        try:
            return self._frameworks[framework]
        except KeyError:
            message = _not_found_message(framework, self._frameworks, what="framework")
            raise NotFoundError(message) from None

    def indicators_for(self, framework: str, code: str) -> list[Indicator]:
        """Indicators mapped to one framework item: a row of the index of indicators."""
        return [ind for ind in self if code in getattr(ind.frameworks, framework, ())]


def _not_found_message(wanted: str, known: Iterable[str], what: str = "indicator") -> str:
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)
    if close:
        hint = f"did you mean {', '.join(close)}?"
    elif what == "indicator":
        hint = "the ids are in esgledger/catalog/data/*.yaml"
    else:
        hint = f"list them with catalog.{what}s()"
    return f"no {what} {wanted!r} in the catalog; {hint}"
