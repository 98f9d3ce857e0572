"""The explain tree's wording in the page's language.

The engine writes each node's ``how`` (its formula), part labels and factor notes in
English once, for the API, the CLI and the English page. A Chinese page words them from
the catalog and the locale instead: the method's formula (``formula.<method>``), the
recipe of a consolidated or month-summed value, and the few phrases the engine appends
to a label or note. What the locale does not word stays as the engine wrote it.
"""

from __future__ import annotations

import re
from typing import Any

from esgledger.web.audit_text import named
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


def how_text(env: PageEnv, node: dict[str, Any]) -> str:
    """How the node's value was made, in the page's language."""
    how, recipe = node["how"], node["recipe"]
    if env.lang == "en":
        return how
    if recipe == "input":
        return env.t("explain.how.input")
    spec = env.catalog.get(node["indicator"]) if node["indicator"] in env.catalog else None
    if recipe == "consolidated" and spec is not None:
        return named(env.lang, f"explain.how.consolidated.{spec.aggregation}", how)
    each = how.removeprefix(MONTHS_PREFIX)
    if spec is not None and spec.method:
        each = named(env.lang, f"formula.{spec.method}", each)
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
