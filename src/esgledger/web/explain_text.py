"""The explain tree's wording in the page's language.

The engine writes each node's ``how`` (its formula), part labels and factor notes in
English once, for the API, the CLI and the English page. A Chinese page words them from
the catalog and ``locales/explain.zh.yaml`` instead (the method's formula, the recipe of
a consolidated value) and from the locale (a month-summed value, the few phrases the
engine appends to a label or note). What neither words stays as the engine wrote it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from esgledger.web.i18n import LOCALE_DIR
from esgledger.web.render import PageEnv

MONTHS_PREFIX = "sum of the months; each: "  # engine.explain, a year summed from its months
# Phrases the engine appends to a part's label, and the locale key that words them.
PART_SUFFIXES = (
    (" (reported for the whole year)", "explain.part.whole_year"),
    (" (certificates)", "explain.part.certificates"),
)
STALE_FACTOR = re.compile(
    r"^(?P<factor>\S+) of (?P<used>\d{4}) used for (?P<year>\d{4}) \(latest published\)$"
)


@cache
def engine_words_zh() -> dict[str, dict[str, str]]:
    """``formula`` by method name and ``consolidated`` by aggregation, in Chinese."""
    return yaml.safe_load((LOCALE_DIR / "explain.zh.yaml").read_text(encoding="utf-8"))


def how_text(env: PageEnv, node: dict[str, Any]) -> str:
    """How the node's value was made, in the page's language."""
    how, recipe = node["how"], node["recipe"]
    if env.lang == "en":
        return how
    if recipe == "input":
        return env.t("explain.how.input")
    spec = env.catalog.get(node["indicator"]) if node["indicator"] in env.catalog else None
    words = engine_words_zh()
    if recipe == "consolidated" and spec is not None:
        return words["consolidated"].get(str(spec.aggregation), how)
    each = how.removeprefix(MONTHS_PREFIX)
    if spec is not None and spec.method:
        each = words["formula"].get(spec.method, each)
    return env.t("explain.how.months", each=each) if how.startswith(MONTHS_PREFIX) else each


def part_label(env: PageEnv, label: str) -> str:
    """A part's label with the engine's appended phrase in the page's language."""
    for suffix, key in PART_SUFFIXES:
        if label.endswith(suffix):
            return label.removesuffix(suffix) + env.t(key)
    return label


def factor_note(env: PageEnv, note: str) -> str:
    """A factor's note ("… of 2023 used for 2024 (latest published)") in the page's language."""
    stale = STALE_FACTOR.match(note)
    return env.t("explain.stale_factor", **stale.groupdict()) if stale else note
