"""The explain tree's engine wording, read back into the reader's language.

The engine writes each node's ``how`` (its formula), part labels and factor notes once, in
English, for the API and English readers. A Chinese reader, on a web page or at the command
line, gets them worded from the catalog and ``data/explain.zh.yaml`` (the method's formula,
the recipe of a consolidated value) and from the catalogue's ``explained.*`` texts (a
month-summed value, the phrases the engine appends to a label or a factor's note). What
neither words stays as the engine wrote it. One module, so that the pages and the commands
cannot drift apart.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

import yaml

from esgledger.errors import render

if TYPE_CHECKING:
    from esgledger.catalog.model import Indicator

MONTHS_PREFIX = "sum of the months; each: "  # engine.explain, a year summed from its months
# Phrases the engine appends to a part's label, and the text that words them.
PART_SUFFIXES = (
    (" (reported for the whole year)", "explained.whole_year"),
    (" (certificates)", "explained.certificates"),
    (" (steam conditions not reported)", "explained.steam_conditions"),
)
STALE_FACTOR = re.compile(
    r"^(?P<factor>\S+) of (?P<used>\d{4}) used for (?P<year>\d{4}) \(latest published\)$"
)


@cache
def engine_words_zh() -> dict[str, dict[str, str]]:
    """``formula`` by method name and ``consolidated`` by aggregation, in Chinese."""
    text = files("esgledger.calc").joinpath("data/explain.zh.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def how_text(how: str, recipe: str, spec: Indicator | None, lang: str) -> str:
    """How a node's value was made (``spec``: its indicator, None outside the catalog)."""
    if lang == "en":
        return how
    if recipe == "input":
        return render("explained.how_input", lang)
    words = engine_words_zh()
    if recipe == "consolidated" and spec is not None:
        return words["consolidated"].get(str(spec.aggregation), how)
    each = how.removeprefix(MONTHS_PREFIX)
    if spec is not None and spec.method:
        each = words["formula"].get(spec.method, each)
    if how.startswith(MONTHS_PREFIX):
        return render("explained.how_months", lang, each=each)
    return each


def part_label(label: str, lang: str) -> str:
    """A part's label with the engine's appended phrase in the reader's language."""
    if lang == "en":
        return label
    for suffix, code in PART_SUFFIXES:
        if label.endswith(suffix):
            return label.removesuffix(suffix) + render(code, lang)
    return label


def factor_note(note: str, lang: str) -> str:
    """A factor's note ("… of 2023 used for 2024 (latest published)")."""
    stale = STALE_FACTOR.match(note) if lang != "en" else None
    return render("explained.stale_factor", lang, **stale.groupdict()) if stale else note
