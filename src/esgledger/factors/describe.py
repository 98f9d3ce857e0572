"""Words for "not found": what exists instead, so the reader can fix the lookup at once."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from datetime import date

from esgledger.errors import Joined, Phrase
from esgledger.factors.checks import SeriesKey
from esgledger.factors.model import Factor

_MAX_OTHERS = 8


def unknown_key_hint(key: str, known: Sequence[str]) -> Phrase:
    """Message for a key no dataset defines, with the nearest spellings."""
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    family = key.split(".", 1)[0]
    suggestions = close or [k for k in known if k.startswith(family + ".")][:6]
    hint = Phrase.of("factor.did_you_mean", keys=", ".join(suggestions)) if suggestions else ""
    return Phrase.of("factor.unknown_key", key=key, hint=hint)


def coverage(
    series: Mapping[SeriesKey, list[Factor]], dataset: str, key: str, region: str | None
) -> Phrase:
    """``dataset has CN-NM 2021-01-01→2024-01-01 (3 values) and everywhere …; 30 other regions``.

    Only the asked region and the everywhere fallback are spelled out; other regions are
    named, so a message about one province does not list thirty.
    """
    regions = [r for (name, k, r) in series if name == dataset and k == key]
    shown = [r for r in dict.fromkeys((region, None)) if r in regions]
    spans = [
        Phrase.of(
            "factor.span",
            region=r or Phrase.of("factor.everywhere"),
            runs=Joined(tuple(_spans(series[(dataset, key, r)]))),
        )
        for r in shown
    ]
    others = sorted(r for r in regions if r not in shown and r is not None)
    listed = ", ".join(others[:_MAX_OTHERS]) + (", …" if len(others) > _MAX_OTHERS else "")
    tail = Phrase.of("factor.others", count=len(others), listed=listed) if others else ""
    held = spans or [Phrase.of("factor.no_value_there")]
    return Phrase.of(
        "factor.coverage", dataset=dataset, spans=Joined(tuple(held), "list.and"), tail=tail
    )


def _spans(values: list[Factor]) -> list[Phrase]:
    """Validity of a sorted series, contiguous values merged: ``2021-01-01→2024-01-01 (3)``."""
    runs: list[list[object]] = []
    for position, factor in enumerate(values):
        end = factor.valid_to
        if end is None and position + 1 < len(values):
            end = values[position + 1].valid_from
        if runs and runs[-1][1] == factor.valid_from and factor.valid_from is not None:
            runs[-1][1], runs[-1][2] = end, int(str(runs[-1][2])) + 1
        else:
            runs.append([factor.valid_from, end, 1])
    return [_run(start, end, count) for start, end, count in runs]


def _run(start: object, end: object, count: object) -> Phrase:
    first = str(start) if isinstance(start, date) else "…"
    last = str(end) if isinstance(end, date) else Phrase.of("factor.open")
    code = "factor.run" if count == 1 else "factor.runs"
    return Phrase.of(code, first=first, last=last, count=count)
