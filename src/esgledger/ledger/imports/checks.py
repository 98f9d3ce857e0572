"""The row checks of an import, one small function per rule.

Each check takes the resolved rows and returns a Problem for every row that breaks its
rule, saying what is wrong and what to do. Rows that already failed an earlier, more
basic check (unknown indicator, unreadable period) are not reported again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import polars as pl

from esgledger.errors import Phrase, Problem
from esgledger.ledger.calendar import is_locked
from esgledger.ledger.imports.context import (
    ImportContext,
    clipped,
    problems_at,
    suggestion,
    unit_mismatch,
)
from esgledger.ledger.imports.layout import QUALITY_TIERS
from esgledger.periods import Granularity, Period

Check = Callable[[pl.DataFrame, ImportContext, str], list[Problem]]
_KNOWN = pl.col("indicator_kind").is_not_null()


def missing_cells(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    found = []
    for column in ("entity", "period", "indicator", "value"):
        empty = rows.filter(pl.col(column).is_null())
        found += problems_at(
            empty,
            file,
            column,
            column,
            "import.cell_empty",
            lambda r, c=column: {"column": c},
        )
    return found


def unknown_entity(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(
        pl.col("entity").is_not_null() & ~pl.col("entity").is_in(list(context.entities))
    )
    return problems_at(
        bad,
        file,
        "entity",
        "entity",
        "import.entity_unknown",
        lambda r: {"suggestion": suggestion(r["entity"], context.entities)},
    )


def unknown_indicator(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("indicator").is_not_null() & ~_KNOWN)
    ids = [indicator.id for indicator in context.catalog]
    return problems_at(
        bad,
        file,
        "indicator",
        "indicator",
        "import.indicator_unknown",
        lambda r: {"suggestion": suggestion(r["indicator"], ids)},
    )


def derived_indicator(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("indicator_kind") == "derived")
    return problems_at(
        bad,
        file,
        "indicator",
        "indicator",
        "import.indicator_derived",
    )


def bad_period(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    unreadable = problems_at(
        rows.filter(pl.col("period_error").is_not_null()),
        file,
        "period",
        "period",
        "import.period_unreadable",
        lambda r: {"detail": clipped(r["period_error"], 500)},
    )
    quarters = problems_at(
        rows.filter(pl.col("grain") == Granularity.QUARTER.value),
        file,
        "period",
        "period",
        "import.period_quarter",
    )
    years = sorted(context.years)
    calendar = f"{years[0]}-{years[-1]}" if years else Phrase.of("import.calendar_none")
    outside = rows.filter(pl.col("year").is_not_null() & ~pl.col("year").is_in(years))
    return (
        unreadable
        + quarters
        + problems_at(
            outside,
            file,
            "period",
            "period",
            "import.period_outside_calendar",
            lambda r: {"calendar": calendar, "year": r["year"]},
        )
    )


def not_a_number(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("value").is_not_null() & pl.col("number").is_null())
    return problems_at(
        bad,
        file,
        "value",
        "value",
        "import.value_not_number",
    )


def negative(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter((pl.col("number") < 0) & (pl.col("negative_ok") == False))  # noqa: E712
    return problems_at(
        bad,
        file,
        "value",
        "value",
        "import.value_negative",
    )


def incompatible_unit(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    """A unit that cannot become the indicator's is the unit cell's fault, not the value's."""
    bad = rows.filter(_KNOWN & pl.col("unit_error").is_not_null())
    mismatch = functools.cache(unit_mismatch)  # once per distinct pair of units

    def explained(row: dict) -> tuple[str, dict[str, object]]:
        return mismatch(row["given_unit"], row["indicator_unit"])

    return problems_at(
        bad,
        file,
        "unit",
        "given_unit",
        lambda r: explained(r)[0],
        lambda r: explained(r)[1],
        in_value_cell=False,
    )


def bad_quality(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("quality").is_not_null() & ~pl.col("quality").is_in(QUALITY_TIERS))
    return problems_at(
        bad,
        file,
        "quality",
        "quality",
        "import.quality_unknown",
        lambda r: {"tiers": ", ".join(QUALITY_TIERS)},
    )


def duplicate_rows(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    key = ["entity", "period_text", "indicator"]
    keyed = rows.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    keyed = keyed.with_columns(
        pl.col("row").first().over(key).alias("first_row"),
        pl.col("sheet").first().over(key).alias("first_sheet"),
    )
    repeats = keyed.filter(pl.int_range(pl.len()).over(key) > 0)
    return problems_at(
        repeats,
        file,
        "indicator",
        "indicator",
        "import.row_duplicate",
        lambda r: {
            "first_row": r["first_row"],
            "first_sheet": Phrase.of("import.of_sheet", sheet=r["first_sheet"])
            if r["first_sheet"]
            else "",
        },
    )


def locked_period(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    if not context.locks:
        return []
    locked = {
        t
        for t in rows["period_text"].drop_nulls().unique()
        if is_locked(Period.parse(t), context.locks)
    }
    bad = rows.filter(pl.col("period_text").is_in(list(locked)))
    return problems_at(
        bad,
        file,
        "period",
        "period",
        "import.period_locked",
    )


def mixed_granularity(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    """A figure given for the year and for months of that year would be counted twice."""
    key = ["entity", "indicator", "year"]
    keyed = rows.filter(pl.col("grain").is_in([Granularity.YEAR.value, Granularity.MONTH.value]))
    in_file = keyed.group_by(key).agg(pl.col("grain").unique().alias("file_grains"))
    in_ledger = pl.DataFrame(
        [
            {"entity": e, "indicator": i, "year": y, "ledger_grains": sorted(g)}
            for (e, i, y), g in context.existing_granularity.items()
        ],
        schema={
            "entity": pl.Utf8,
            "indicator": pl.Utf8,
            "year": pl.Int64,
            "ledger_grains": pl.List(pl.Utf8),
        },
    )
    both = in_file.join(in_ledger, on=key, how="left").with_columns(
        pl.concat_list(
            "file_grains", pl.col("ledger_grains").fill_null(pl.lit([], pl.List(pl.Utf8)))
        )
        .list.unique()
        .list.len()
        .alias("grains")
    )
    bad = keyed.join(both.filter(pl.col("grains") > 1).select(key), on=key, how="semi")
    return problems_at(
        bad,
        file,
        "period",
        "period",
        "import.granularity_mixed",
        lambda r: {"indicator": r["indicator"], "year": r["year"]},
    )


CHECKS: tuple[Check, ...] = (
    missing_cells,
    unknown_entity,
    unknown_indicator,
    derived_indicator,
    bad_period,
    not_a_number,
    negative,
    incompatible_unit,
    bad_quality,
    duplicate_rows,
    locked_period,
    mixed_granularity,
)
