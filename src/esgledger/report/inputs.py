"""The files a report was built from besides the ledger: layout, templates, targets, and the
published figures its modeled marks are held against.

A report is a function of its snapshot, its method set, its factor files and these four.
The build records each (path and SHA-256) in the payload; `verify` finds the same files
again, checks their digests and rebuilds the document from them, so any printed word or
number that the inputs do not produce is found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esgledger.errors import EsgError

_OPTIONS = (
    ("config", "--config"),
    ("templates", "--templates"),
    ("targets", "--targets"),
    ("published", "--published"),
)


@dataclass(frozen=True)
class BuildInputs:
    """Where the layout, the company templates and the targets file of a build are."""

    config: Path | None = None
    templates: Path | None = None
    targets: Path | None = None
    published: Path | None = None  # published figures: what is not among them is marked M

    def record(self) -> dict[str, Any]:
        """Path and digest of each input, as the payload keeps them (None: not used)."""
        return {
            "config": _optional(file_record, self.config),
            "templates": _optional(_folder_record, self.templates),
            "targets": _optional(file_record, self.targets),
            "published": _optional(file_record, self.published),
        }


def file_record(path: Path) -> dict[str, str]:
    """Path and SHA-256 of a file, so verify can tell when it changed."""
    return {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _optional(record: Callable[[Path], dict[str, str]], path: Path | None) -> dict[str, str] | None:
    return None if path is None else record(path)


def _folder_record(folder: Path) -> dict[str, str]:
    """One digest over every file of a template folder: names and contents, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return {"path": str(folder), "sha256": digest.hexdigest()}


def recorded_inputs(
    recorded: dict[str, Any] | None, given: BuildInputs, differences: list[str]
) -> BuildInputs:
    """The inputs to rebuild a report with: those given, else the recorded paths.

    A recorded file that is missing is a user's problem (say which option finds it); one
    whose digest differs is a difference of the report, since it may change what is printed.
    """
    recorded = recorded or {}
    found = {}
    for name, option in _OPTIONS:
        entry = recorded.get(name)
        path = getattr(given, name) or (Path(entry["path"]) if entry else None)
        if entry and path is not None and not path.exists():
            raise EsgError.coded("report_file.input_missing", name=name, path=path, option=option)
        found[name] = path
    inputs = BuildInputs(**found)
    now = inputs.record()
    for name, entry in now.items():
        before = recorded.get(name)
        if (before or {}).get("sha256") != (entry or {}).get("sha256"):
            differences.append(
                f"{name}: the report was built with {_describe(before)}, verify uses "
                f"{_describe(entry)}"
            )
    return inputs


def _describe(entry: dict[str, str] | None) -> str:
    if entry is None:
        return "none"
    return f"{entry['path']} (sha256 {entry['sha256'][:12]}…)"
