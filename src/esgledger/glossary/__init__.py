"""The glossary: one Chinese form per key term, unit and count word, used everywhere.

``data/glossary.yaml`` holds the terms (with their sources and the other forms that must
not appear), how each unit reads in English and Chinese, and the Chinese count word of
each count indicator. It is read once per process (:func:`load_glossary`); the report,
the web pages and the command line ask it for unit labels, and tests read the pages
through :meth:`Glossary.misused_terms` so a page that writes 范围1 where we write 范围一
fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from esgledger.errors import EsgError

# CJK Unified Ideographs with Extension A: a text holding any is written in Chinese.
CHINESE_CHARACTERS = re.compile(r"[\u3400-\u9fff]")


def has_chinese(text: object) -> bool:
    """Whether ``text`` holds Chinese characters (how a text held as written is told apart)."""
    return CHINESE_CHARACTERS.search(str(text or "")) is not None


COUNT_UNIT = "item"  # the catalog's unit of a count; read as the indicator's count word


@dataclass(frozen=True)
class Term:
    """A term as we print it, where it comes from, and the forms we do not print."""

    id: str
    en: str
    zh: str
    source: str
    confidence: str
    avoid: tuple[str, ...] = ()


@dataclass(frozen=True)
class Misuse:
    """A form of a term found in a text where the glossary prints another."""

    term: Term
    found: str

    def __str__(self) -> str:
        return f"{self.found!r} for {self.term.en!r}: write {self.term.zh!r} (glossary)"


class Glossary:
    """Terms, unit labels and count words, looked up by id, unit code or indicator id."""

    def __init__(self, data: dict) -> None:
        self.sources: dict[str, str] = data["sources"]
        self.terms = [Term(**{**t, "avoid": tuple(t.get("avoid", ()))}) for t in data["terms"]]
        self.units: dict[str, dict[str, str]] = data["units"]
        self.count_words = {
            indicator: word
            for word, indicators in data["count_words"].items()
            for indicator in indicators
        }
        self._check()

    def _check(self) -> None:
        """Refuse a glossary whose terms cite no known source or contradict themselves."""
        for term in self.terms:
            if term.source not in self.sources:
                raise EsgError.coded("glossary.unknown_source", term=term.id, source=term.source)
            if term.zh in term.avoid:
                raise EsgError.coded("glossary.avoids_itself", term=term.id, zh=term.zh)

    def term(self, term_id: str, lang: str) -> str:
        """The term ``term_id`` in ``lang`` (en or zh)."""
        term = next((t for t in self.terms if t.id == term_id), None)
        if term is None:
            raise EsgError.coded("glossary.no_term", term=term_id)
        return term.zh if lang == "zh" else term.en

    def unit_label(self, unit: str, lang: str, indicator: str | None = None) -> str:
        """How ``unit`` reads in ``lang``; a count reads as the indicator's count word.

        >>> g = load_glossary()
        >>> g.unit_label("tce", "zh"), g.unit_label("item", "zh", "safety.emergency_drills")
        ('吨标准煤', '次')
        >>> g.unit_label("item", "en", "safety.emergency_drills"), g.unit_label("kWh", "zh")
        ('number', 'kWh')
        """
        if lang == "zh" and unit == COUNT_UNIT and indicator in self.count_words:
            return self.count_words[indicator]
        labels = self.units.get(unit)
        return labels.get(lang, unit) if labels else unit

    def misused_terms(self, text: str) -> list[Misuse]:
        """Forms of a glossary term in ``text`` that the glossary says not to print.

        A form inside another glossary term is not counted (an avoided form may be part
        of a longer term we do print).

        >>> [str(m) for m in load_glossary().misused_terms("范围1排放；范围一排放")]
        ["'范围1' for 'Scope 1': write '范围一' (glossary)"]
        """
        for printed in sorted((t.zh for t in self.terms), key=len, reverse=True):
            text = text.replace(printed, "\0")
        return [Misuse(t, form) for t in self.terms for form in t.avoid if form in text]


@cache
def load_glossary() -> Glossary:
    """The packaged glossary, read once per process."""
    text = files("esgledger.glossary").joinpath("data/glossary.yaml").read_text("utf-8")
    return Glossary(yaml.safe_load(text))
