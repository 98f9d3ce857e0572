"""Find the factor that applies to a key on a date, for a region, dataset and entity.

Resolution order, for one lookup:

1. User override files whose scope covers the entity and year (most specific scope
   first, later files before earlier ones among equals), with region fallback. They win
   whatever dataset is asked for, unless a file says ``replaces: <dataset>``, which
   limits it to lookups of that dataset.
2. The shipped datasets, with region fallback (the region's own value, else the value
   for everywhere, ``region=None``). If more than one dataset answers, the caller must
   name one: a silent choice between, say, NDRC and IPCC NCVs would change results.

Within a series a value holds from its ``valid_from`` until its ``valid_to`` or, when
that is open, until the next value starts (:class:`SeriesIndex`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from esgledger.errors import Joined, Phrase
from esgledger.factors.describe import coverage, unknown_key_hint
from esgledger.factors.errors import AmbiguousFactorError, FactorError, FactorNotFoundError
from esgledger.factors.model import Factor, FactorSet
from esgledger.factors.series_index import SeriesIndex
from esgledger.units import conversion_factor

_NONE = "\x00"
_SEP = "\x1f"


@dataclass(frozen=True)
class DatasetInfo:
    """What the methodology page says about one dataset version."""

    name: str
    title: str
    version: str
    source: str
    url: str | None
    gwp_set: str | None
    factor_count: int
    confidence: dict[str, int]
    is_override: bool
    path: str | None


@dataclass(frozen=True)
class VectorLookup:
    """Factors applied over a column: ``values[i]`` came from ``factors[index[i]]``."""

    values: np.ndarray
    factors: tuple[Factor, ...]
    index: np.ndarray


class FactorLibrary:
    """All factor sets of a run: the shipped defaults and the user's overrides."""

    def __init__(self, defaults: Sequence[FactorSet], overrides: Sequence[FactorSet] = ()) -> None:
        self._sets = (*defaults, *overrides)
        self._defaults = SeriesIndex(f for s in defaults for f in s.factors)
        known = {s.name for s in defaults}
        for item in overrides:
            if item.replaces and item.replaces not in known:
                raise FactorError.coded(
                    "factor.replaces_unknown",
                    file=item.path,
                    replaces=item.replaces,
                    known=", ".join(sorted(known)),
                )
        ranked = sorted(
            enumerate(overrides),
            key=lambda pair: (pair[1].overrides.specificity if pair[1].overrides else 0, pair[0]),
            reverse=True,
        )
        self._overrides = [(item, SeriesIndex(item.factors)) for _, item in ranked]
        self._change_dates: dict[str, tuple[date, ...]] = {}
        self._keys: frozenset[str] | None = None
        # answers of get() by its arguments (a library never changes once loaded): every
        # recompute asks the same few hundred questions again
        self._answers: dict[tuple, Factor | tuple[type[FactorError], str]] = {}

    def get(
        self,
        key: str,
        *,
        on: date,
        region: str | None = None,
        dataset: str | None = None,
        entity: str | None = None,
    ) -> Factor:
        """The factor for ``key`` in force on ``on``.

        Raises:
            FactorNotFoundError: nothing matches; the message lists what exists.
            AmbiguousFactorError: several datasets match and ``dataset`` was not given.
        """
        on = on.date() if isinstance(on, datetime) else on  # a datetime does not sort with dates
        asked = (key, on, region, dataset, entity)
        if asked not in self._answers:
            try:
                self._answers[asked] = self._find(key, on, region, dataset, entity)
            except (FactorNotFoundError, AmbiguousFactorError) as exc:
                # the kind, code and params only: the exception's traceback holds the frames
                # of the caller, and everything they hold, for as long as the library lives
                self._answers[asked] = (type(exc), exc.code or "", exc.params)
        found = self._answers[asked]
        if isinstance(found, tuple):
            kind, code, params = found
            raise kind.coded(code, **params)
        return found

    def _find(
        self, key: str, on: date, region: str | None, dataset: str | None, entity: str | None
    ) -> Factor:
        override = self._from_overrides(key, on, region, dataset, entity)
        if override is not None:
            return override
        names = sorted(self._defaults.datasets.get(key, ()))
        hits = [
            found
            for name in names
            if dataset in (None, name)
            and (found := self._defaults.resolve(name, key, region, on)) is not None
        ]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            missing = self._missing(key, on, region, dataset)
            raise FactorNotFoundError.coded(missing.code, **dict(missing.params))
        given = "; ".join(f"{f.dataset} = {f.value:g} {f.unit}" for f in hits)
        raise AmbiguousFactorError.coded(
            "factor.ambiguous", count=len(hits), key=key, on=on, given=given
        )

    def values(
        self,
        key: str,
        on: date,
        regions: Sequence[str | None] | np.ndarray,
        *,
        dataset: str | None = None,
        entities: Sequence[str | None] | np.ndarray | None = None,
        unit: str | None = None,
    ) -> np.ndarray:
        """Factor values for a whole column of region codes (one lookup per distinct code)."""
        return self.resolve_many(
            key, on, regions, dataset=dataset, entities=entities, unit=unit
        ).values

    def resolve_many(
        self,
        key: str,
        on: date,
        regions: Sequence[str | None] | np.ndarray,
        *,
        dataset: str | None = None,
        entities: Sequence[str | None] | np.ndarray | None = None,
        unit: str | None = None,
    ) -> VectorLookup:
        """Like :meth:`values`, and also which factor each row used (for ``explain``).

        Distinct (entity, region) pairs are looked up once and spread back over the rows by
        fancy indexing, so a column of a million facilities costs a handful of lookups.
        ``unit`` converts every value to that unit; without it all factors must share one.
        """
        codes = _codes(regions)
        if entities is not None:
            codes = np.char.add(np.char.add(_codes(entities), _SEP), codes)
        unique, inverse = np.unique(codes, return_inverse=True)
        factors = tuple(
            self.get(key, on=on, region=region, dataset=dataset, entity=entity)
            for entity, region in (_decode(code, entities is not None) for code in unique)
        )
        table = np.array([f.value * _scale(f, unit) for f in factors], dtype=float)
        if unit is None and len({f.unit for f in factors}) > 1:
            units = ", ".join(sorted({f.unit for f in factors}))
            raise FactorError.coded("factor.several_units", key=key, units=units)
        return VectorLookup(table[inverse.reshape(-1)], factors, inverse.reshape(-1))

    def defines(self, key: str) -> bool:
        """Whether any dataset or override file has a value of ``key``."""
        if self._keys is None:
            self._keys = frozenset(self.keys())
        return key in self._keys

    def change_dates(self, key: str) -> tuple[date, ...]:
        """Every date on which some value of ``key`` starts or ends, sorted.

        Between two such dates (and within one calendar year, since override scopes and
        the latest-available search go by year) every lookup of ``key`` gives the same
        answer, so a caller resolving many dates needs one lookup per such stretch.
        """
        if key not in self._change_dates:
            bounds = {
                bound
                for s in self._sets
                for f in s.factors
                if f.key == key
                for bound in (f.valid_from, f.valid_to)
                if bound is not None
            }
            self._change_dates[key] = tuple(sorted(bounds))
        return self._change_dates[key]

    @property
    def has_entity_overrides(self) -> bool:
        """True when some user file applies to chosen entities only.

        Vectorised lookups then have to look up per entity instead of per region.
        """
        return any(item.overrides and item.overrides.entities for item, _ in self._overrides)

    @property
    def sets(self) -> tuple[FactorSet, ...]:
        """Every factor set: the shipped defaults, then the user files in the order given."""
        return self._sets

    def datasets(self) -> list[DatasetInfo]:
        """Name, version and citation of every dataset, for the methodology page."""
        return sorted((_info(s) for s in self._sets), key=lambda d: (d.name, d.version))

    def keys(self) -> list[str]:
        """Every factor key any dataset defines."""
        return sorted({f.key for s in self._sets for f in s.factors})

    def all_factors(self) -> list[Factor]:
        """Every factor, shipped and overriding, in file order."""
        return [f for s in self._sets for f in s.factors]

    def _from_overrides(
        self, key: str, on: date, region: str | None, dataset: str | None, entity: str | None
    ) -> Factor | None:
        for item, index in self._overrides:
            scope = item.overrides
            if scope is None or not scope.applies(entity, on):
                continue
            if item.replaces and dataset not in (None, item.name, item.replaces):
                continue  # 'replaces: X' limits the file to lookups of dataset X
            found = index.resolve(item.name, key, region, on)
            if found is not None:
                return found
        return None

    def _missing(self, key: str, on: date, region: str | None, dataset: str | None) -> Phrase:
        names = sorted(self._defaults.datasets.get(key, ()))
        if not names:
            return unknown_key_hint(key, self.keys())
        if dataset is not None and dataset not in names:
            return Phrase.of(
                "factor.not_in_dataset", dataset=dataset, key=key, names=", ".join(names)
            )
        shown = [n for n in names if dataset in (None, n)]
        ranges = Joined(
            tuple(coverage(self._defaults.series, n, key, region) for n in shown), "list.semicolon"
        )
        where = region or Phrase.of("factor.everywhere")
        return Phrase.of("factor.no_value", key=key, region=where, on=on, ranges=ranges)


def _codes(values: Sequence[str | None] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=object).reshape(-1)
    missing = np.equal(array, None)
    return np.where(missing, _NONE, array).astype(str)


def _decode(code: str, with_entity: bool) -> tuple[str | None, str | None]:
    entity, _, region = code.partition(_SEP) if with_entity else (_NONE, "", code)
    return (None if entity == _NONE else entity), (None if region == _NONE else region)


def _scale(factor: Factor, unit: str | None) -> float:
    return 1.0 if unit is None else conversion_factor(factor.unit, unit)


def _info(item: FactorSet) -> DatasetInfo:
    counts: dict[str, int] = {}
    for factor in item.factors:
        counts[factor.confidence.value] = counts.get(factor.confidence.value, 0) + 1
    return DatasetInfo(
        name=item.name,
        title=item.title,
        version=item.version,
        source=item.source,
        url=item.url,
        gwp_set=item.gwp_set,
        factor_count=len(item.factors),
        confidence=counts,
        is_override=item.is_override,
        path=item.path,
    )
