"""UI strings in English and Simplified Chinese, read from ``locales/{en,zh}.yaml``.

The language is the ``lang`` cookie (set by the switch link in the page header), else the
browser's Accept-Language, else English. A key missing from a language falls back to
English and then to the key itself, so a forgotten translation shows up as English text
rather than breaking the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml
from fastapi import Request

from esgledger.errors import LANG_COOKIE
from esgledger.errors import request_language as language_of

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).with_name("locales")

Translator = Callable[..., str]


@lru_cache(maxsize=len(LANGUAGES))
def messages(lang: str) -> dict[str, str]:
    """The flat key → text table of one language (read once per process).

    The shared strings are in ``locales/{lang}.yaml``; a capability's pages keep theirs in
    ``locales/<capability>/{lang}.yaml`` (materiality, safety ...), so that adding a
    capability adds files instead of editing one long one. A key defined twice is a bug.
    """
    table: dict[str, str] = {}
    for path in (LOCALE_DIR / f"{lang}.yaml", *sorted(LOCALE_DIR.glob(f"*/{lang}.yaml"))):
        with path.open(encoding="utf-8") as handle:
            for key, value in (yaml.safe_load(handle) or {}).items():
                if str(key) in table:
                    raise KeyError(f"UI string {key!r} is defined twice (again in {path})")
                table[str(key)] = str(value)
    return table


def translator(lang: str) -> Translator:
    """``t(key, **values)``: the text in ``lang`` with ``{placeholders}`` filled in."""
    table, fallback = messages(lang), messages(DEFAULT_LANGUAGE)

    def t(key: str, **values: object) -> str:
        text = table.get(key) or fallback.get(key) or key
        return text.format_map(_KeepMissing(values)) if values else text

    return t


class _KeepMissing(dict):
    """Placeholders not given stay as they are (the page's script fills ``{change}``)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def request_language(request: Request) -> str:
    """The language the page is shown in: cookie, then Accept-Language, then English."""
    return language_of(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
