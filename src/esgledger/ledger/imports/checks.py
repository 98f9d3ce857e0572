"""The row checks of an import, one small function per rule.

Each check takes the resolved rows and returns a Problem for every row that breaks its
rule, saying what is wrong and what to do. Rows that already failed an earlier, more
basic check (unknown indicator, unreadable period) are not reported again.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from esgledger.errors import Problem
from esgledger.ledger.calendar import is_locked
from esgledger.ledger.imports.context import ImportContext, did_you_mean, problems_at
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
            lambda r, c=column: f"the {c} is empty",
            lambda r: "Fill it in, or delete the row.",
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
        lambda r: "unknown entity",
        lambda r: (
            "Use a code from `esgledger org show`"
            + did_you_mean(r["entity"], context.entities)
            + "."
        ),
    )


def unknown_indicator(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("indicator").is_not_null() & ~_KNOWN)
    ids = [indicator.id for indicator in context.catalog]
    return problems_at(
        bad,
        file,
        "indicator",
        "indicator",
        lambda r: "unknown indicator",
        lambda r: (
            "Use an id from `esgledger template` or the catalog"
            + did_you_mean(r["indicator"], ids)
            + "."
        ),
    )


def derived_indicator(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("indicator_kind") == "derived")
    return problems_at(
        bad,
        file,
        "indicator",
        "indicator",
        lambda r: "this indicator is computed by esgledger, not collected",
        lambda r: "Import the figures it is computed from instead, and delete this row.",
    )


def bad_period(rows: pl.DataFrame, context: ImportContext, file: str) -> list[Problem]:
    unreadable = problems_at(
        rows.filter(pl.col("period_error").is_not_null()),
        file,
        "period",
        "period",
        lambda r: r["period_error"],
        lambda r: "Correct the period.",
    )
    quarters = problems_at(
        rows.filter(pl.col("grain") == Granularity.QUARTER.value),
        file,
        "period",
        "period",
        lambda r: "quarterly values are not collected",
        lambda r: "Give the months or the whole year.",
    )
    years = sorted(context.years)
    calendar = f"{years[0]}-{years[-1]}" if years else "none opened yet"
    outside = rows.filter(pl.col("year").is_not_null() & ~pl.col("year").is_in(years))
    return (
        unreadable
        + quarters
        + problems_at(
            outside,
            file,
            "period",
            "period",
            lambda r: f"period is outside the reporting calendar ({calendar})",
            lambda r: (
                f"Correct the period, or open the year with `esgledger init --years {r['year']}`."
            ),
        )
    )


def not_a_number(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("value").is_not_null() & pl.col("number").is_null())
    return problems_at(
        bad,
        file,
        "value",
        "value",
        lambda r: "the value is not a number",
        lambda r: "Write a plain number such as 1234.5, with the unit in the unit column.",
    )


def negative(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter((pl.col("number") < 0) & (pl.col("negative_ok") == False))  # noqa: E712
    return problems_at(
        bad,
        file,
        "value",
        "value",
        lambda r: "this indicator cannot be negative",
        lambda r: "Give the amount as a positive number.",
    )


def incompatible_unit(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(_KNOWN & pl.col("unit_error").is_not_null())
    return problems_at(
        bad,
        file,
        "unit",
        "given_unit",
        lambda r: r["unit_error"],
        lambda r: f"Use {r['indicator_unit']} or a unit convertible to it.",
    )


def bad_quality(rows: pl.DataFrame, _context: ImportContext, file: str) -> list[Problem]:
    bad = rows.filter(pl.col("quality").is_not_null() & ~pl.col("quality").is_in(QUALITY_TIERS))
    return problems_at(
        bad,
        file,
        "quality",
        "quality",
        lambda r: "unknown data-quality tier",
        lambda r: f"Write one of {', '.join(QUALITY_TIERS)}, or leave it empty.",
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
        lambda r: (
            f"the same entity, period and indicator already appear at row {r['first_row']}"
            + (f" of sheet {r['first_sheet']!r}" if r["first_sheet"] else "")
        ),
        lambda r: "Keep one of the two rows.",
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
        lambda r: "this period is locked",
        lambda r: "Locked figures change only by a restatement; ask the group manager.",
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
        lambda r: f"{r['indicator']} has both a yearly value and monthly values for {r['year']}",
        lambda r: "Give either the year or its months, not both (in this file and the ledger).",
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
