"""The explain tree's wording in the page's language (calc/explain_words.py words it, for
the pages and the command line alike); the template calls these with its page."""

from __future__ import annotations

from typing import Any

from esgledger.calc import explain_words
from esgledger.web.render import PageEnv


def how_text(env: PageEnv, node: dict[str, Any]) -> str:
    """How the node's value was made, in the page's language."""
    indicator = node["indicator"]
    spec = env.catalog.get(indicator) if indicator in env.catalog else None
    return explain_words.how_text(node["how"], node["recipe"], spec, env.lang)


def part_label(env: PageEnv, label: str) -> str:
    return explain_words.part_label(label, env.lang)


def factor_note(env: PageEnv, note: str) -> str:
    return explain_words.factor_note(note, env.lang)
