"""The template's and the error file's words in English or Chinese (``data/texts.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

LANGUAGES = ("en", "zh")


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, str]]:
    source = files("esgledger.workbooks") / "data" / "texts.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def language(lang: str | None) -> str:
    """``zh`` for any Chinese (``zh-CN``, ``zh_Hans``), else ``en``."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def text(key: str, lang: str, **params: object) -> str:
    """The words under ``key`` in ``lang``, with ``{params}`` filled in."""
    return _texts()[language(lang)][key].format(**params)
