"""Where `esgledger calc` exports to, and in which format, checked before anything runs.

A calculation takes a snapshot and can run for minutes, so a file name that cannot be
written or that disagrees with --format is refused first. The extension of --out picks
the format when --format is not given; a file whose extension names another format
than its content would open wrongly, so the two must agree. A missing folder is refused
rather than created: it is more often a typo than a wish.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.calc.export import FORMATS
from esgledger.errors import EsgError, Phrase

DEFAULT_STEM = "esgledger-results"


def export_target(fmt: str | None, out: Path | None) -> tuple[Path, str] | None:
    """The file and format to export to, or None when the tables are to be printed."""
    fmt = fmt.lower() if fmt is not None else None
    if fmt is not None and fmt not in FORMATS:
        raise EsgError.coded("export.format", listed=_listed(), fmt=fmt)
    if out is None:
        return None if fmt is None else (Path(f"{DEFAULT_STEM}.{fmt}"), fmt)
    if out.is_dir():
        example = out / f"{DEFAULT_STEM}.{fmt or 'xlsx'}"
        raise EsgError.coded("export.folder", out=out, example=example)
    chosen = _format_of(out, fmt)
    _require_folder(out)
    return out, chosen


def _format_of(out: Path, fmt: str | None) -> str:
    suffix = out.suffix.lower().lstrip(".")
    if fmt is None:
        if suffix in FORMATS:
            return suffix
        raise EsgError.coded(
            "export.unknown_suffix",
            out=out,
            ending=_ending(out),
            listed=_listed("."),
            example=out.with_suffix(".xlsx"),
        )
    if suffix != fmt:
        also = Phrase.of("export.or_format", suffix=suffix) if suffix in FORMATS else ""
        raise EsgError.coded(
            "export.suffix_mismatch",
            out=out,
            ending=_ending(out),
            fmt=fmt,
            name=out.with_suffix("." + fmt),
            also=also,
        )
    return fmt


def _require_folder(out: Path) -> None:
    folder = out.parent
    if not folder.exists():
        raise EsgError.coded("export.no_folder", out=out, folder=folder)
    if not folder.is_dir():
        raise EsgError.coded("export.not_folder", out=out, folder=folder)


def _ending(out: Path) -> Phrase:
    if out.suffix:
        return Phrase.of("export.ends_in", suffix=out.suffix)
    return Phrase.of("export.no_extension")


def _listed(prefix: str = "") -> str:
    names = [prefix + name for name in FORMATS]
    return f"{', '.join(names[:-1])} or {names[-1]}"
