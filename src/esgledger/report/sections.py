"""Report sections a plugin adds, registered through the ``esgledger_report_sections`` hook.

A section is a Jinja template with its titles. It joins every report layout (the shipped
one and a company's ``--config``) after the section it names, unless the layout lists a
section of that id itself. Its template sees what the shipped ones see (``v``, ``t``,
``facts``, ``lang``, ``section``) and ``v.section_data(section)``: what the plugin's
``data`` function computes from the facts. The shipped sections are registered too, so
that a plugin cannot take one's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esgledger.errors import Phrase
from esgledger.plugins import PluginError, Provided, collect, plugin_failures

PLUGIN_TEMPLATE = "plugin-section:"  # template names of plugin sections start so


@dataclass(frozen=True)
class ReportSection:
    """One section: its id, template file and titles ({"en": ..., "zh": ...})."""

    id: str
    template: Path
    title: dict[str, str] | None = None
    after: str | None = None  # the section it follows; None: the last before the appendices
    numbered: bool = True
    appendix: bool = False
    data: Callable[[Any, str], dict[str, Any]] | None = None  # (facts, lang) → template data


def report_sections() -> dict[str, Provided[ReportSection]]:
    """Every registered section by id, with the plugin that provides it."""
    from esgledger.report import shipped

    return collect("esgledger_report_sections", ReportSection, _id, shipped)


def _id(section: ReportSection) -> str:
    return section.id


def plugin_sections() -> list[ReportSection]:
    """The sections plugins add (not esgledger's own, which the layout places itself)."""
    from esgledger.report import shipped

    return [p.item for p in report_sections().values() if p.plugin != shipped.__name__]


def template_source(name: str) -> str | None:
    """The text of a plugin section's template (for the Jinja loader), None for others."""
    if not name.startswith(PLUGIN_TEMPLATE):
        return None
    provided = report_sections().get(name.removeprefix(PLUGIN_TEMPLATE))
    if provided is None:
        return None
    try:
        return provided.item.template.read_text(encoding="utf-8")
    except OSError as exc:
        raise PluginError.coded(
            "plugin.template_unreadable",
            plugin=provided.plugin,
            section=provided.item.id,
            detail=str(exc),
        ) from None


def section_data(section_id: str, facts: Any, lang: str) -> dict[str, Any]:
    """What a plugin section's ``data`` function gives its template ({} for others)."""
    provided = report_sections().get(section_id)
    if provided is None or provided.item.data is None:
        return {}
    with plugin_failures(provided.plugin, Phrase.of("plugin.what.section", section=section_id)):
        return dict(provided.item.data(facts, lang))
