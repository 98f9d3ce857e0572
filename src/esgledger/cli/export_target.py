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
from esgledger.errors import EsgError

DEFAULT_STEM = "esgledger-results"


def export_target(fmt: str | None, out: Path | None) -> tuple[Path, str] | None:
    """The file and format to export to, or None when the tables are to be printed."""
    fmt = fmt.lower() if fmt is not None else None
    if fmt is not None and fmt not in FORMATS:
        raise EsgError(f"--format must be one of {_listed()}, not {fmt!r}")
    if out is None:
        return None if fmt is None else (Path(f"{DEFAULT_STEM}.{fmt}"), fmt)
    if out.is_dir():
        example = out / f"{DEFAULT_STEM}.{fmt or 'xlsx'}"
        raise EsgError(f"--out {out} is a folder; give a file name, e.g. {example}")
    chosen = _format_of(out, fmt)
    _require_folder(out)
    return out, chosen


def _format_of(out: Path, fmt: str | None) -> str:
    suffix = out.suffix.lower().lstrip(".")
    if fmt is None:
        if suffix in FORMATS:
            return suffix
        ending = f"ends in {out.suffix!r}" if out.suffix else "has no extension"
        raise EsgError(
            f"cannot tell the export format from --out {out}: the name {ending}, expected "
            f"{_listed('.')}; name the file e.g. {out.with_suffix('.xlsx')}"
        )
    if suffix != fmt:
        ending = f"ends in {out.suffix!r}" if out.suffix else "has no extension"
        also = f", or use --format {suffix}" if suffix in FORMATS else ""
        raise EsgError(
            f"--out {out} {ending} but --format {fmt} writes a .{fmt} file; "
            f"name the file {out.with_suffix('.' + fmt)}{also}"
        )
    return fmt


def _require_folder(out: Path) -> None:
    folder = out.parent
    if not folder.exists():
        raise EsgError(
            f"--out {out}: the folder {folder} does not exist (nothing was written); "
            "create it first, or choose a file in an existing folder"
        )
    if not folder.is_dir():
        raise EsgError(f"--out {out}: {folder} is a file, not a folder; choose another path")


def _listed(prefix: str = "") -> str:
    names = [prefix + name for name in FORMATS]
    return f"{', '.join(names[:-1])} or {names[-1]}"
