"""Latin-letter words in a Chinese text that are neither names, units nor standard codes.

The allow-list is data (data/latin_allowed.yaml), so adding a unit or a standard code is a
line there, not a change to the check.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ALLOWED = Path(__file__).parent / "data" / "latin_allowed.yaml"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def english_words(text: str) -> list[str]:
    """Every Latin-letter word of ``text`` the allow-list does not cover, in order."""
    allowed = yaml.safe_load(ALLOWED.read_text(encoding="utf-8"))
    words = {w for key in ("names", "standards", "units", "marks") for w in allowed[key]}
    patterns = [re.compile(p) for p in allowed["patterns"]]
    for span in allowed["spans"]:
        text = re.sub(span, " ", text)
    return [
        word
        for word in _WORD.findall(text)
        if word not in words and not any(p.match(word) for p in patterns)
    ]
