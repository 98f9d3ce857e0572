"""The command line's own words in the reader's language: titles, headers, labels, units.

A command prints in the language of ``--lang`` (else the ``language`` setting, else
English): its labels come from ``errors_text/cli/``, indicator names from the catalog and
unit labels from the glossary. In English a unit prints as the catalog writes it (tCO2e),
as before; in Chinese as the glossary reads it (吨二氧化碳当量). Ids, entity codes, file
names and numbers are data and print as they are in either language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from esgledger.cli.common import message_language
from esgledger.errors import render

if TYPE_CHECKING:
    from esgledger.catalog.model import Indicator


class Words:
    """The texts of one language, for a command that prints many of them."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = lang or message_language()

    @property
    def chinese(self) -> bool:
        return self.lang == "zh"

    def __call__(self, code: str, /, **params: object) -> str:
        """The catalogue text ``code`` (a ``cli.`` code), filled in."""
        return render(code, self.lang, **params)

    def known(self, code: str, /, **params: object) -> str | None:
        """The text ``code`` where the catalogue has one, else None."""
        return self(code, **params) if code in _known(self.lang) else None

    def unit(self, unit: str, indicator: str | None = None) -> str:
        """A unit as the reader reads it: the catalog's symbol in English, the glossary's
        label in Chinese (a count reads as the indicator's count word)."""
        if not self.chinese or not unit:
            return unit
        from esgledger.glossary import load_glossary

        return load_glossary().unit_label(unit, self.lang, indicator)

    def name(self, spec: Indicator) -> str:
        """An indicator's name in the reader's language (the catalog's name_zh / name_en)."""
        return spec.name(self.lang)

    def boundary(self, code: str) -> str:
        """A boundary as the reader reads it: its code in English (what ``--entity`` takes),
        its name in Chinese (集团合计, 重点单位, 冶炼分离板块); an entity code stays a code."""
        if not self.chinese:
            return code
        kind, _, rest = code.partition(":")
        if code == "group":
            return self("cli.boundary.group")
        if kind == "tag":
            named = self.known(f"cli.boundary.tag_named.{rest}")
            return named or self("cli.boundary.tag", tag=rest)
        if kind == "segment":
            return self.known(f"cli.segment.{rest}") or code
        if kind == "subtree":
            return self("cli.boundary.subtree", code=rest)
        return code

    def status(self, status: str) -> str:
        """A revision's status (draft, submitted, approved, locked ...)."""
        return self.known(f"cli.status.{status}") or status


def _known(lang: str) -> dict[str, str]:
    from esgledger.errors import texts

    return texts(lang)
