"""A narrative block's fields, as the register ``narrative.blocks`` stores them.

A block is one piece of a report's text in both languages: a year, a kind (data/kinds.yaml),
for kinds a year holds several of a short name (``slug``), the Chinese and English titles
and texts, the framework items it answers, where the text comes from, and where it stands
in its review (draft → submitted → approved, or returned to draft with a comment).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

REGISTER = "narrative.blocks"
MAX_TEXT = 20_000
MAX_TITLE = 200


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class Content(BaseModel):
    """What an author writes: the block's identity and its bilingual text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    year: int = Field(ge=2000, le=2100)
    kind: str = Field(max_length=40)
    slug: str = Field(default="", max_length=40, pattern=r"^([a-z0-9][a-z0-9-]*)?$")
    title_zh: str = Field(default="", max_length=MAX_TITLE)
    title_en: str = Field(default="", max_length=MAX_TITLE)
    text_zh: str = Field(default="", max_length=MAX_TEXT)
    text_en: str = Field(default="", max_length=MAX_TEXT)
    answers: tuple[str, ...] = ()
    source: str = Field(default="", max_length=500)

    @property
    def key(self) -> str:
        """The record key: ``2024-outlook``, ``2024-case_study-lime-digestion``."""
        return "-".join(str(part) for part in (self.year, self.kind, self.slug) if part)


class Block(Content):
    """Content plus where its review stands and who took each step."""

    status: Status = Status.DRAFT
    edited_by: str = ""
    submitted_by: str = ""
    reviewed_by: str = ""
    review_comment: str = Field(default="", max_length=2000)

    def title(self, lang: str, fallback: str) -> str:
        """The block's own title in ``lang`` (case studies), else the kind's."""
        return (self.title_zh if lang == "zh" else self.title_en) or fallback

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en

    def paragraphs(self, lang: str) -> list[str]:
        """The text split at blank lines or line breaks: one paragraph per line."""
        return [line.strip() for line in self.text(lang).splitlines() if line.strip()]


def block_of(payload: dict[str, Any]) -> Block:
    """A stored payload as a block (the register holds only validated payloads)."""
    return Block.model_validate(payload)
