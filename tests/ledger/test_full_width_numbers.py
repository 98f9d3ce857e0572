"""Numbers typed with a Chinese input method (full-width digits, ．，－) read as numbers."""

from __future__ import annotations

import doctest

import pytest
from tests.ledger.test_import import ELECTRICITY, current, run_import

from esgledger.ledger.imports import resolve
from esgledger.ledger.imports.apply import ImportRejected

GAS = "energy.natural_gas"


def test_the_number_cleaner_documents_itself():
    assert doctest.testmod(resolve).failed == 0


def test_full_width_digits_and_punctuation_are_imported_as_numbers(ledger, write_csv):
    path = write_csv(
        "full_width.csv",
        [
            ("SMELT", "2024-01", ELECTRICITY, "１，２００．５", "MWh", ""),
            ("SMELT", "2024-02", ELECTRICITY, "９８７", "MWh", ""),
        ],
    )
    run_import(ledger, path)
    assert current(ledger, "SMELT", "2024-01", ELECTRICITY).canonical_value == 1200.5
    revision = current(ledger, "SMELT", "2024-02", ELECTRICITY)
    assert (revision.canonical_value, revision.value) == (987.0, "987")


def test_a_full_width_minus_is_a_minus_and_refused_where_negatives_are(ledger, write_csv):
    path = write_csv("minus.csv", [("SMELT", "2024-01", ELECTRICITY, "－５", "MWh", "")])
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert "negative" in str(caught.value).lower()


def test_full_width_text_that_is_no_number_is_still_refused(ledger, write_csv):
    path = write_csv("words.csv", [("SMELT", "2024-01", ELECTRICITY, "１２三", "MWh", "")])
    with pytest.raises(ImportRejected) as caught:
        run_import(ledger, path)
    assert "not a number" in str(caught.value)
