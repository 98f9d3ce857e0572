"""A company's own import layout: the CSV its electricity supplier sends with each bill.

One row per meter and month (``meter,site,billing_month,kwh``); every row becomes a value
of energy.purchased_electricity in kWh for the site, with the meter in the comment.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from esgledger.ledger.imports.layouts import ImportLayout, LayoutSource
from esgledger.plugins import hookimpl

HEADER = ["meter", "site", "billing_month", "kwh"]


def is_bill(path: Path) -> bool:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), None) == HEADER


def bill_rows(source: LayoutSource) -> Iterator[tuple]:
    with source.path.open(encoding="utf-8-sig", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle), start=1):
            source.count(cells, number)
            if number == 1 or not any(cells):
                continue
            meter, site, month, kwh = cells
            comment = f"meter {meter}"
            yield (
                None,
                number,
                None,
                site,
                month,
                "energy.purchased_electricity",
                kwh,
                "kWh",
                comment,
                "measured",
            )


UTILITY_BILL = ImportLayout(
    name="acme-utility-bill",
    description="the supplier's monthly bill CSV: meter, site, billing_month, kwh",
    suffixes=(".csv",),
    read=bill_rows,
    recognises=is_bill,
)


@hookimpl
def esgledger_import_layouts() -> list[ImportLayout]:
    return [UTILITY_BILL]
