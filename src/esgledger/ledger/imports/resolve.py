"""Turn an import's text cells into periods, indicator facts, numbers and unit factors.

Each distinct period, indicator and unit pair is resolved once and joined back onto the
rows, so the work grows with the number of distinct values, not with the number of rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import polars as pl

from esgledger.catalog.registry import Catalog
from esgledger.errors import EsgError
from esgledger.periods import Period
from esgledger.units import conversion_factor

NUMBER_NOISE = r"[,\s_]"  # thousands separators and spaces people type inside a number


def resolve(frame: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """Add the resolved columns that the checks and the writer need."""
    frame = _resolve_periods(frame)
    frame = _resolve_indicators(frame, catalog)
    frame = _resolve_values(frame)
    return _resolve_units(frame)


def _map_unique(
    frame: pl.DataFrame, column: str, mapper: Callable[[str], Any], dtype: pl.DataType
) -> pl.Series:
    """Apply ``mapper`` to each distinct value of ``column`` once, then spread it to rows."""
    distinct = frame[column].unique().to_list()
    table = {value: mapper(value) for value in distinct if value is not None}
    return frame[column].replace_strict(table, default=None, return_dtype=dtype)


def _resolve_periods(frame: pl.DataFrame) -> pl.DataFrame:
    def parse(text: str) -> dict[str, Any]:
        try:
            period = Period.parse(text)
        except EsgError as exc:
            return {"text": None, "year": None, "grain": None, "error": exc.message}
        return {
            "text": str(period),
            "year": period.year,
            "grain": period.granularity.value,
            "error": None,
        }

    dtype = pl.Struct({"text": pl.Utf8, "year": pl.Int64, "grain": pl.Utf8, "error": pl.Utf8})
    parsed = _map_unique(frame, "period", parse, dtype)
    return frame.with_columns(
        parsed.struct.unnest().select(
            pl.col("text").alias("period_text"),
            pl.col("year"),
            pl.col("grain"),
            pl.col("error").alias("period_error"),
        )
    )


def _resolve_indicators(frame: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    def describe(indicator_id: str) -> dict[str, Any] | None:
        if indicator_id not in catalog:
            return None
        indicator = catalog.get(indicator_id)
        return {
            "unit": indicator.unit,
            "kind": indicator.kind,
            "negative_ok": bool(indicator.allow_negative),
        }

    dtype = pl.Struct({"unit": pl.Utf8, "kind": pl.Utf8, "negative_ok": pl.Boolean})
    described = _map_unique(frame, "indicator", describe, dtype)
    return frame.with_columns(
        described.struct.unnest().select(
            pl.col("unit").alias("indicator_unit"),
            pl.col("kind").alias("indicator_kind"),
            pl.col("negative_ok"),
        )
    )


def number_text(text: str) -> str:
    """A typed number as Python and polars parse it: full-width forms made plain (NFKC),
    thousands separators and spaces dropped.

    A Chinese input method types ``１２，３４５．６`` and ``－５``; NFKC maps full-width
    digits and ``．，－`` to their ASCII forms, so they read as 12345.6 and -5.

    >>> number_text("１２，３４５．６"), number_text("－５"), number_text("1 234_5")
    ('12345.6', '-5', '12345')
    """
    return re.sub(NUMBER_NOISE, "", unicodedata.normalize("NFKC", text))


def _resolve_values(frame: pl.DataFrame) -> pl.DataFrame:
    # the vectorised number_text: polars' NFKC is the same Unicode mapping as unicodedata's
    cleaned = pl.col("value").str.normalize("NFKC").str.replace_all(NUMBER_NOISE, "")
    number = cleaned.cast(pl.Float64, strict=False)
    return frame.with_columns(
        cleaned.alias("value_text"),
        pl.when(number.is_finite()).then(number).otherwise(None).alias("number"),
    )


def _resolve_units(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(pl.coalesce("unit", "indicator_unit").alias("given_unit"))
    pairs = frame.select("given_unit", "indicator_unit").unique().drop_nulls()
    factors, errors = [], []
    for given, target in pairs.iter_rows():
        try:
            factors.append(conversion_factor(given, target))
            errors.append(None)
        except EsgError as exc:
            factors.append(None)
            errors.append(exc.message)
    table = pairs.with_columns(
        factor=pl.Series(factors, dtype=pl.Float64), unit_error=pl.Series(errors, dtype=pl.Utf8)
    )
    frame = frame.join(table, on=["given_unit", "indicator_unit"], how="left")
    return frame.with_columns((pl.col("number") * pl.col("factor")).alias("canonical"))
