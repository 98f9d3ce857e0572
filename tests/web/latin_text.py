"""Find untranslated English on a page shown in Chinese: Latin words not on the allow-list.

A page in 中文 may still hold Latin letters where Chinese writing keeps them too — entity
codes, units such as tCO2e, standard codes such as GRI. Those are kept as data in
``latin_allowed.yaml``; any other Latin word is English a translation left behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from esgledger.catalog import load_catalog
from esgledger.web.i18n import messages

INDICATOR_IDS = frozenset(load_catalog().ids())

ALLOWED_FILE = Path(__file__).with_name("latin_allowed.yaml")
FILE_TYPES = {"csv", "xlsx", "yaml", "json", "pdf"}  # targets.yaml is a file, not a key
KEY = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)+")
# A web address is data; its host (pact.example.cn) is not a message key left untranslated.
ADDRESS = re.compile(r"https?://[^\s，；、（）()]+")
# A Latin word: letters, with the digits and sub/superscripts of units and formulas (tCO2e, m³)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9²³₂₄]*")

# Everything a reader sees or hears on the page in its language: its text, title, the
# texts of charts and of closed menus, and the attributes a browser shows or reads aloud.
# Elements marked as written in another language (lang="en": the switch to English, a
# comment or source the ledger holds as written) are left out, as a screen reader would
# read them in that language; so are the parts of a page not yet translated (``skipped``).
VISIBLE_TEXT = """(skipped) => {
  const left = skipped.length ? skipped.join(', ') : null;
  const inPageLanguage = (el) => (el.closest('[lang]')?.lang || '').startsWith('zh')
    && !(left && el.closest(left));
  const foreign = [...document.body.querySelectorAll('*')].filter(el => !inPageLanguage(el));
  foreign.forEach(el => el.style.setProperty('display', 'none'));
  const parts = [document.title, document.body.innerText];
  foreign.forEach(el => el.style.removeProperty('display'));
  for (const el of document.querySelectorAll('svg text, svg title, option')) {
    if (inPageLanguage(el)) parts.push(el.textContent);
  }
  const attributes = ['title', 'placeholder', 'aria-label', 'alt'];
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label], [alt]')) {
    for (const name of attributes) {
      if (el.hasAttribute(name) && inPageLanguage(el)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""


@dataclass(frozen=True)
class LatinAllowList:
    """The Latin words and patterns a Chinese page may hold."""

    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    skipped: tuple[str, ...] = ()  # CSS selectors of parts not yet translated
    # The first parts of the UI's message keys (nav, recipe, ...): a page showing
    # ``recipe.months`` shows a key with no text, which the id pattern would let pass.
    key_prefixes: frozenset[str] = frozenset()

    def with_words(self, extra: Iterable[str]) -> LatinAllowList:
        """This list and the ledger's own names (entity codes, usernames)."""
        return replace(self, words=self.words | frozenset(extra))

    def untranslated_keys(self, line: str) -> list[str]:
        """Message keys shown as they are: ``recipe.months`` where a text was missing."""
        return [
            key
            for key in KEY.findall(line)
            if key.split(".")[0] in self.key_prefixes
            and key.rsplit(".")[-1] not in FILE_TYPES
            and key not in INDICATOR_IDS  # a code shown as such (safety.hours_worked)
        ]


def load_allow_list(path: Path = ALLOWED_FILE) -> LatinAllowList:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = frozenset(str(word) for group in data["words"].values() for word in group)
    patterns = tuple(re.compile(pattern) for pattern in data["patterns"].values())
    skipped = tuple(data.get("not_yet_translated", {}).values())
    keys = messages("en")
    return LatinAllowList(words, patterns, skipped, frozenset(k.split(".")[0] for k in keys))


def english_left(text: str, allowed: LatinAllowList) -> list[str]:
    """Each line of ``text`` holding a Latin word that is not allowed, with those words.

    Allowed patterns are blanked out first, so that ``energy.purchased_electricity`` is one
    code and not the English words "purchased" and "electricity".
    """
    found = []
    for line in text.splitlines():
        blanked = line
        for pattern in allowed.patterns:
            blanked = pattern.sub(" ", blanked)
        words = allowed.untranslated_keys(ADDRESS.sub(" ", line))
        words += [word for word in WORD.findall(blanked) if word not in allowed.words]
        if words:
            found.append(f"{', '.join(dict.fromkeys(words))}  ←  {line.strip()[:160]}")
    return found
