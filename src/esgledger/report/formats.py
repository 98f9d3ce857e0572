"""Report output formats, registered through the ``esgledger_report_formats`` plugin hook.

A format turns one language's report into a file's bytes. HTML, PDF and the XLSX annex
are esgledger's own (:mod:`esgledger.report.shipped`); a plugin adds, say, a JSON feed
for a group portal. The HTML is rendered once, on first use, for every format needing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from esgledger.catalog.registry import Catalog
from esgledger.errors import Phrase
from esgledger.plugins import PluginError, Provided, collect, plugin_failures
from esgledger.report.config import ReportConfig, Strings
from esgledger.report.facts import ReportFacts


@dataclass
class ReportDocument:
    """One language of one report, as a format writes it."""

    facts: ReportFacts
    config: ReportConfig
    lang: str
    catalog: Catalog
    templates: Path | None = None
    annex_file: str = ""  # the annex's file name the HTML links to, "" when none is built

    @cached_property
    def strings(self) -> Strings:
        return Strings(self.lang, self.config.strings.get(self.lang))

    @cached_property
    def html(self) -> str:
        """The whole report as one HTML document (what the PDF is printed from)."""
        from esgledger.report.render import render_html

        args = (self.facts, self.config, self.lang, self.catalog, self.templates)
        return render_html(*args, self.annex_file)


@dataclass(frozen=True)
class ReportFormat:
    """One output format; ``name`` is also the file's suffix."""

    name: str
    description: str
    media_type: str
    write: Callable[[ReportDocument], bytes]


def report_formats() -> dict[str, Provided[ReportFormat]]:
    """Every registered output format by name, with the plugin that provides it."""
    from esgledger.report import shipped

    return collect("esgledger_report_formats", ReportFormat, _name, shipped)


def _name(output: ReportFormat) -> str:
    return output.name


def write_format(name: str, document: ReportDocument) -> bytes:
    """The file of format ``name``; a plugin format's failure is named, not a traceback."""
    from esgledger.report import shipped

    provided = report_formats()[name]
    if provided.plugin == shipped.__name__:
        return provided.item.write(document)
    failed = Phrase.of("plugin.what.format", format=name)
    leave_out = Phrase.of("plugin.remedy.leave_out_format")
    with plugin_failures(provided.plugin, failed, leave_out):
        content = provided.item.write(document)
    if not isinstance(content, bytes):
        raise PluginError.coded(
            "plugin.format_bytes", plugin=provided.plugin, format=name, got=type(content).__name__
        )
    return content
