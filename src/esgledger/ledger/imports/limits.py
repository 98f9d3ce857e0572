"""How much of an import file esgledger reads before it refuses the file.

A few kilobytes can declare a sheet of a million rows, and a zipped workbook can unpack
to gigabytes, so every reader counts what it takes and stops at the first limit passed,
naming the limit, what the file held and what to do. The server takes these limits from
its settings (``ESGLEDGER_IMPORT_*``, :func:`upload_limits`), whose defaults are these
limits' defaults: they fit a whole group's yearly collection several times over.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from esgledger.errors import EsgError, Phrase
from esgledger.settings import MB, Settings

__all__ = ["MB", "Budget", "ImportLimits", "ImportTooLarge", "require_size", "upload_limits"]


def _setting(name: str) -> int:
    """The default of the server setting ``import_<name>``: one number for both."""
    return Settings.model_fields[f"import_{name}"].default


class ImportTooLarge(EsgError):
    """A file over one of the import limits; nothing of it was imported (HTTP 413)."""


@dataclass(frozen=True)
class ImportLimits:
    """The most an import may hold; each field has an ``ESGLEDGER_IMPORT_<FIELD>`` variable."""

    max_bytes: int = _setting("max_bytes")  # the file as uploaded
    max_unzipped_bytes: int = _setting("max_unzipped_bytes")  # as the zip directory declares
    max_zip_ratio: int = _setting("max_zip_ratio")  # unpacked / packed, per XLSX part > 1 MB
    max_rows: int = _setting("max_rows")  # non-empty rows, all sheets, headers included
    max_cells: int = _setting("max_cells")  # cells read, empty ones inside a row included
    max_cell_chars: int = _setting("max_cell_chars")  # characters in one cell
    max_problems: int = _setting("max_problems")  # listed one by one; the rest counted by kind

    def refuse(self, where: str, what: Phrase, limit: Phrase, setting: str) -> ImportTooLarge:
        """The error for a file over a limit: what it held, the limit, and what to do."""
        return ImportTooLarge.coded(
            "import.limit.over", where=where, what=what, limit=limit, setting=setting.upper()
        )


class Budget:
    """What a reader has taken from one file so far; refuses the file at the first limit."""

    def __init__(self, limits: ImportLimits, where: str) -> None:
        self.limits, self.where = limits, where
        self.rows = self.cells = 0

    def take_all(self, cells: int, rows: int) -> bool:
        """Count a chunk of ``rows`` non-empty rows and ``cells`` cells, if it fits.

        Returns False, counting nothing, when the chunk would pass a limit: the caller then
        takes its rows one by one, so the file is refused at the very row that passes it.
        """
        if self.rows + rows > self.limits.max_rows or self.cells + cells > self.limits.max_cells:
            return False
        self.rows, self.cells = self.rows + rows, self.cells + cells
        return True

    def take(self, width: int, empty: bool) -> None:
        """Count one row of ``width`` cells (an empty row counts its cells, not itself)."""
        self.cells += width
        self.rows += not empty
        if self.rows > self.limits.max_rows:
            raise self.limits.refuse(
                self.where,
                Phrase.of("import.limit.rows_over", count=self.limits.max_rows),
                Phrase.of("import.limit.rows", count=self.limits.max_rows),
                "max_rows",
            )
        if self.cells > self.limits.max_cells:
            raise self.limits.refuse(
                self.where,
                Phrase.of("import.limit.cells_over", count=self.limits.max_cells),
                Phrase.of("import.limit.cells", count=self.limits.max_cells),
                "max_cells",
            )


def require_size(limits: ImportLimits, where: str, size: int, whole: bool = True) -> None:
    """Refuse a file larger than ``max_bytes`` before anything of it is read.

    ``whole`` is False while an upload is being received: ``size`` is then what came so far.
    """
    if size > limits.max_bytes:
        raise limits.refuse(
            where,
            Phrase.of(
                "import.limit.file_has" if whole else "import.limit.file_has_more",
                size=size,
                mb=size / MB,
            ),
            Phrase.of("import.limit.bytes", size=limits.max_bytes, mb=limits.max_bytes / MB),
            "max_bytes",
        )


def upload_limits(settings: Settings) -> ImportLimits:
    """The limits every upload to the server (API and web page) is read under."""
    return ImportLimits(
        **{f.name: getattr(settings, f"import_{f.name}") for f in fields(ImportLimits)}
    )
