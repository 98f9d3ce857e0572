"""Content hashes of ledger rows: the canonical text the audit log commits to.

A revision's hash covers every column except its id (the id is assigned by the database
after the hash is stored; the audit entry that seals the revision commits to the id
beside the hash), and the hash of its changeset, so that editing the changeset's author,
time, action, reason or source changes every revision it holds.

The canonical text is built over whole columns (polars) so that a million revisions hash
in about a second. Numbers are written so that no library's number formatting can change
a hash: integers in decimal, floats as the decimal of their IEEE-754 bits. A column added
to ``revisions`` later must be added here, under a new version tag.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

REVISION_VERSION = "rev1"
CHANGESET_VERSION = "cs1"
ROW_VERSION = "row1"
NULL = "~"

# Every column of a revision but its id, in canonical order, with the type it is hashed as.
REVISION_SCHEMA: dict[str, Any] = {
    "changeset_id": pl.Int64,
    "parent_id": pl.Int64,
    "origin_id": pl.Int64,
    "entity": pl.Utf8,
    "period": pl.Utf8,
    "indicator": pl.Utf8,
    "value": pl.Utf8,
    "unit": pl.Utf8,
    "canonical_value": pl.Float64,
    "canonical_unit": pl.Utf8,
    "status": pl.Utf8,
    "is_tombstone": pl.Boolean,
    "restatement": pl.Boolean,
    "quality": pl.Utf8,
    "comment": pl.Utf8,
    "source_sheet": pl.Utf8,
    "source_row": pl.Int64,
}
REVISION_COLUMNS = tuple(REVISION_SCHEMA)
CHANGESET_COLUMNS = (
    "id",
    "author",
    "created_at",
    "action",
    "reason",
    "source_file",
    "source_sha256",
)


def changeset_hash(row: Mapping[str, Any]) -> str:
    """The hash of a changeset row (who, when, what, why, from which file)."""
    return _sha256_json([CHANGESET_VERSION, *(_plain(row[name]) for name in CHANGESET_COLUMNS)])


def row_hash(table: str, row: Mapping[str, Any]) -> str:
    """The hash of a small table's row (entities, period locks, years, snapshots)."""
    return _sha256_json([ROW_VERSION, table, sorted((k, _plain(v)) for k, v in row.items())])


def with_content_hashes(changeset: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Revision rows of ``changeset`` ready to insert: its id and each row's content hash."""
    header = changeset_hash({name: getattr(changeset, name) for name in CHANGESET_COLUMNS})
    frame = revision_frame(rows).with_columns(changeset_id=pl.lit(changeset.id, pl.Int64))
    hashes = hash_revision_frame(frame, pl.Series([header] * frame.height, dtype=pl.Utf8))
    return [
        {**row, "changeset_id": changeset.id, "content_hash": digest}
        for row, digest in zip(rows, hashes, strict=True)
    ]


def revision_hashes(rows: pl.DataFrame | Sequence[Mapping[str, Any]], changeset: str) -> list[str]:
    """Content hashes of revisions that all belong to one changeset (whose hash is given)."""
    frame = revision_frame(rows)
    return hash_revision_frame(frame, pl.Series("changeset_hash", [changeset] * frame.height))


def revision_frame(rows: pl.DataFrame | Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """Revision columns in their hashed types; dictionaries or a frame from the database."""
    if isinstance(rows, pl.DataFrame):
        return rows.select(pl.col(name).cast(kind) for name, kind in REVISION_SCHEMA.items())
    return pl.from_dicts(rows, schema=REVISION_SCHEMA, strict=False)


def hash_revision_frame(frame: pl.DataFrame, changeset_hashes: pl.Series) -> list[str]:
    """One SHA-256 per row: the canonical text is built in one columnar pass, then hashed."""
    work = frame.with_columns(
        changeset_hashes.alias("changeset_hash"),
        _float_bits(frame.get_column("canonical_value")).alias("canonical_value"),
    )
    fields = [_text_expr("changeset_hash")]
    for name, kind in REVISION_SCHEMA.items():
        if name == "canonical_value":
            fields.append(pl.col(name))  # already the text of its bits
        elif kind == pl.Boolean:
            fields.append(pl.col(name).cast(pl.Int8).cast(pl.Utf8).fill_null(NULL))
        elif kind == pl.Int64:
            fields.append(pl.col(name).cast(pl.Utf8).fill_null(NULL))
        else:
            fields.append(_text_expr(name))
    canonical = pl.concat_str([pl.lit(REVISION_VERSION), *fields], separator="|")
    return sha256_each(work.select(canonical.cast(pl.Binary)).to_series().to_list())


def sha256_each(texts: list[bytes]) -> list[str]:
    """Hex SHA-256 of each text, with the cyclic garbage collector paused meanwhile.

    A million new strings would otherwise trigger repeated full collections that walk
    every object the caller holds, which costs more than the hashing itself.
    """
    sha256, was_enabled = hashlib.sha256, gc.isenabled()
    gc.disable()
    try:
        return [sha256(text).hexdigest() for text in texts]
    finally:
        if was_enabled:
            gc.enable()


def sequence_digest(ids: Sequence[int], hashes: Sequence[str]) -> str:
    """The digest an audit entry commits to: ``id:hash`` lines of revisions in id order."""
    lines = "".join(f"{rid}:{digest}\n" for rid, digest in zip(ids, hashes, strict=True))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


def id_ranges(ids: np.ndarray) -> list[list[int]]:
    """Sorted ids as ``[first, last]`` runs of consecutive ids (one run for one insert)."""
    if ids.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(ids) != 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [ids.size - 1]))
    return [[int(ids[s]), int(ids[e])] for s, e in zip(starts, ends, strict=True)]


def expand_ranges(ranges: Sequence[Sequence[int]]) -> np.ndarray:
    """The ids a list of ``[first, last]`` runs stands for."""
    if not ranges:
        return np.empty(0, dtype=np.int64)
    return np.concatenate([np.arange(first, last + 1, dtype=np.int64) for first, last in ranges])


def _text_expr(name: str) -> pl.Expr:
    """Length-prefixed text, so that no value can imitate a separator; null is ``~``."""
    column = pl.col(name).cast(pl.Utf8)
    framed = pl.concat_str([column.str.len_bytes().cast(pl.Utf8), column], separator=":")
    return framed.fill_null(NULL)


def _float_bits(column: pl.Series) -> pl.Series:
    """Floats as the decimal of their bits; -0.0 as 0.0 (SQLite stores both as 0)."""
    values = column.fill_null(0.0).to_numpy().astype(np.float64) + 0.0
    bits = pl.Series(values.view(np.uint64)).cast(pl.Utf8)
    return bits.zip_with(column.is_not_null(), pl.Series([NULL] * len(column)))


def _plain(value: Any) -> Any:
    """A JSON-safe, database-independent form of one cell."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return float(value).hex()
    if isinstance(value, bool):
        return int(value)
    return value


def _sha256_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
