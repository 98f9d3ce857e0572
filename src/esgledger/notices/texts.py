"""A notice's text in a language, outside the web pages (e-mail, chat webhook).

The texts are the web's locale file ``web/locales/notices/{lang}.yaml`` (the one place
they are written, read by the pages through their translator); this module reads that
file as data, so the job that mails notices words them as the inbox does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TEXTS_DIR = Path(__file__).parent.parent / "web" / "locales" / "notices"


@cache
def _texts(lang: str) -> dict[str, str]:
    with (TEXTS_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        return {str(k): str(v) for k, v in (yaml.safe_load(handle) or {}).items()}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(key: str, lang: str, **params: object) -> str:
    """The text of ``key`` (e.g. ``notices.mail.subject``) in ``lang``."""
    found = _texts(lang).get(key) or _texts("en").get(key) or key
    return found.format_map(_Keep(params))


def notice_text(kind: str, params: dict[str, str], lang: str) -> str:
    """What a notice of ``kind`` says in ``lang``; an unknown kind says its name."""
    key = f"notices.kind.{kind}"
    if key not in _texts(lang) and key not in _texts("en"):
        return text("notices.kind.unknown", lang, kind=kind)
    return text(key, lang, **params)
