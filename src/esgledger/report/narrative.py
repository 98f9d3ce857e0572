"""The narrative blocks a report prints: each approved block's text in both languages, the
section that holds it, the framework items it answers, and the record version it is.

Read once per build (inside the register moment, so a rebuild reads the same versions)
and shared by both languages. The payload records each block's key, version and record id,
so `report verify` rebuilds from the very versions the document printed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.narrative.kinds import load_kinds
from esgledger.narrative.reads import approved_blocks
from esgledger.report.index import SECTION


@dataclass(frozen=True)
class PrintedBlock:
    """One approved block as the report prints it."""

    key: str
    version: int
    record_id: int
    kind: str
    section: str
    title: dict[str, str]
    paragraphs: dict[str, tuple[str, ...]]
    answers: tuple[str, ...]

    def pinned(self) -> dict[str, object]:
        """What the payload records of the block: which version of which record."""
        return {"key": self.key, "version": self.version, "record": self.record_id}


def printed_blocks(session: Session, year: int, sections: Collection[str]) -> list[PrintedBlock]:
    """The approved blocks of ``year`` whose section the layout has, in the report's order."""
    kinds = load_kinds()
    printed = []
    for stored in approved_blocks(session, year):
        block, kind = stored.block, kinds[stored.block.kind]
        if kind.section not in sections:
            continue  # a company layout without the section prints no such text
        printed.append(
            PrintedBlock(
                stored.key,
                stored.version,
                stored.row_id,
                block.kind,
                kind.section,
                {lang: block.title(lang, kind.name(lang)) for lang in ("en", "zh")},
                {lang: tuple(block.paragraphs(lang)) for lang in ("en", "zh")},
                block.answers or kind.answers,
            )
        )
    return printed


def answered_places(blocks: Sequence[PrintedBlock]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(framework, item code) → the sections whose blocks answer it, for the index."""
    places: dict[tuple[str, str], list[str]] = {}
    for block in blocks:
        for answer in block.answers:
            framework, _, code = answer.partition(":")
            found = places.setdefault((framework, code), [])
            if f"{SECTION}{block.section}" not in found:
                found.append(f"{SECTION}{block.section}")
    return {item: tuple(found) for item, found in places.items()}
