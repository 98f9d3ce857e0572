"""Text columns to integer positions, millions of rows at a time, by 64-bit hash.

The pivot turns every observation's entity, period and indicator into a row, a column and
an array. Casting each column to a polars Enum probes a hash map and compares strings for
every row; hashing the columns instead (polars, all columns in parallel) and reading each
position from a small open-addressed table keyed by the hash's low bits is several times
faster. Every row's whole 64-bit hash is compared with that of the label in its slot, so a
text that is not in the list gets ``UNKNOWN`` unless it collides with a listed one on all
64 bits. The labels always come from the org tree, the catalog and the period grid, and the
ledger only stores observations of known entities and indicators, so no row depends on
that chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from esgledger.engine.arrays.workers import mapper

UNKNOWN = -1
_MAX_SLOT_BITS = 24  # 16 M slots: far beyond any org tree, catalog or period grid
_CHUNK = 1 << 20  # rows looked up at a time


def hash_columns(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, np.ndarray]:
    """Each column's 64-bit hashes as int64 (one parallel polars pass over all of them)."""
    hashed = frame.select(_hashed(name) for name in columns)
    return {name: hashed[name].to_numpy().view(np.int64) for name in columns}


def _hashed(name: str) -> pl.Expr:
    """The one hash used for rows and labels alike, so that equal texts hash equally."""
    return pl.col(name).hash(seed=0)


def label_hashes(labels: Sequence[str]) -> np.ndarray:
    frame = pl.DataFrame({"label": list(labels)}, schema={"label": pl.Utf8})
    return hash_columns(frame, ["label"])["label"]


@dataclass(frozen=True)
class PositionTable:
    """Where each label goes, looked up by the label's hash."""

    mask: int
    hashes: np.ndarray  # the hash of the label in each slot (0 in an empty slot)
    positions: np.ndarray  # the label's position, ``unknown`` in an empty slot
    unknown: int  # the position given to texts that are not labels

    @classmethod
    def of(
        cls,
        labels: Sequence[str],
        positions: Sequence[int] | None = None,
        unknown: int = UNKNOWN,
    ) -> PositionTable:
        """A table with one slot per label: the fewest low hash bits that tell them apart."""
        hashes = label_hashes(labels)
        places = np.arange(len(labels)) if positions is None else np.asarray(positions)
        distinct = np.unique(hashes).size
        bits = max(4, (2 * len(labels)).bit_length())
        while np.unique(hashes & ((1 << bits) - 1)).size < distinct:
            bits += 1
            if bits > _MAX_SLOT_BITS:  # only reachable if two labels hash alike on 64 bits
                raise RuntimeError(f"cannot tell {len(labels)} labels apart by their hashes")
        mask = (1 << bits) - 1
        small = max(abs(unknown), len(places) and int(np.abs(places).max())) < 2**31
        slot_hashes = np.zeros(mask + 1, dtype=np.int64)
        slot_positions = np.full(mask + 1, unknown, dtype=np.int32 if small else np.int64)
        slot_hashes[hashes & mask] = hashes
        slot_positions[hashes & mask] = places
        return cls(mask, slot_hashes, slot_positions, unknown)

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """The position of each hashed text; ``unknown`` for texts not in the table.

        Positions come as int32 when they fit. Long columns go in chunks, spread over the
        cores (numpy releases the GIL while it works): small temporaries are reused from
        one chunk to the next instead of each being a fresh mapping of many megabytes.
        """
        found = np.empty(hashes.size, dtype=self.positions.dtype)
        chunks = [
            (start, min(start + _CHUNK, hashes.size)) for start in range(0, hashes.size, _CHUNK)
        ]

        def look(chunk: tuple[int, int]) -> None:
            part = hashes[chunk[0] : chunk[1]]
            slots = part & self.mask
            found[chunk[0] : chunk[1]] = np.take(self.positions, slots)
            stranger = np.take(self.hashes, slots) != part
            if stranger.any():
                found[chunk[0] : chunk[1]][stranger] = self.unknown

        with mapper(hashes.size if len(chunks) > 1 else 0) as run_all:
            run_all(look, chunks)
        return found
