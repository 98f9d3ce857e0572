"""Consistency of a dataset's time series: no duplicates, no overlapping validity.

A series is one dataset's values for one key and region. "A value holds from its start
until the next one" only makes sense when the starts are distinct and an explicit end
(``valid_to``) never reaches past the next start; otherwise two values would claim the
same day and the answer would depend on file order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from itertools import pairwise

from esgledger.errors import Location, Phrase, Problem
from esgledger.factors.model import Factor

SeriesKey = tuple[str, str, str | None]


def series_key(factor: Factor) -> SeriesKey:
    """Dataset, key and region: the identity of a time series."""
    return factor.dataset, factor.key, factor.region


def start_of(factor: Factor) -> date:
    """``valid_from``, with an open start sorting before every date."""
    return factor.valid_from or date.min


def group_series(factors: Iterable[Factor]) -> dict[SeriesKey, list[Factor]]:
    """Factors grouped by series, each series sorted by start date."""
    series: dict[SeriesKey, list[Factor]] = defaultdict(list)
    for factor in factors:
        series[series_key(factor)].append(factor)
    for values in series.values():
        values.sort(key=start_of)
    return dict(series)


def series_problems(factors: Iterable[Factor]) -> list[Problem]:
    """Every duplicate start and every overlap between consecutive values of a series."""
    problems = []
    for values in group_series(factors).values():
        for earlier, later in pairwise(values):
            if start_of(earlier) == start_of(later):
                problems.append(_duplicate(earlier, later))
            elif earlier.valid_to and earlier.valid_to > start_of(later):
                problems.append(_overlap(earlier, later))
    return problems


def where(factor: Factor) -> Location:
    """File and line (YAML) or row (CSV) a factor was read from (``origin`` is ``path:N``)."""
    if not factor.origin:
        return Location()
    path, _, number = factor.origin.rpartition(":")
    if not number.isdigit():
        return Location(file=factor.origin)
    if path.lower().endswith(".csv"):
        return Location(file=path, row=int(number))
    return Location(file=path, line=int(number))


def _duplicate(first: Factor, second: Factor) -> Problem:
    since = first.valid_from or Phrase.of("factor.check.start_of_time")
    region = first.region or Phrase.of("factor.everywhere")
    return Problem.coded(
        replace(where(second), column="key"),
        second.key,
        "factor.check.duplicate",
        key=second.key,
        region=region,
        since=since,
        where=where(first),
    )


def _overlap(first: Factor, second: Factor) -> Problem:
    return Problem.coded(
        replace(where(first), column="valid_to"),
        str(first.valid_to),
        "factor.check.overlap",
        key=first.key,
        until=first.valid_to,
        since=second.valid_from,
        where=where(second),
    )
