"""A template goes back through the ordinary import: filled, it imports exactly what was typed;
as downloaded, it imports nothing; imported twice, the second time changes nothing."""

from __future__ import annotations

from io import BytesIO

from esgledger.catalog import load_catalog
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.orgstore import load_org
from esgledger.workbooks.template import TemplateRequest, template_bytes
from tests.workbooks.helpers import opened

ELECTRICITY, PAPER = "energy.purchased_electricity", "office.paper_consumption"
OWED = [ELECTRICITY, PAPER]


def template_file(ledger, tmp_path, lang="zh"):
    with unit_of_work(ledger) as session:
        entity = load_org(session).get("SMELT")
    content = template_bytes(load_catalog(), TemplateRequest(entity, 2024, OWED, lang), {})
    path = tmp_path / f"template-{lang}.xlsx"
    path.write_bytes(content)
    return path


def filled(path, tmp_path):
    """The template as a reporter fills it: two months in kWh, the year's paper in tonnes."""
    book = opened(path.read_bytes())
    sheet = book["SMELT"]
    rows = {sheet[f"A{r}"].value: r for r in range(3, sheet.max_row + 1)}
    sheet[f"D{rows[ELECTRICITY]}"] = "kWh"
    sheet[f"F{rows[ELECTRICITY]}"] = 120000
    sheet[f"G{rows[ELECTRICITY]}"] = 95500.5
    sheet[f"E{rows[PAPER]}"] = 3.25
    out = BytesIO()
    book.save(out)
    target = tmp_path / "filled.xlsx"
    target.write_bytes(out.getvalue())
    return target


def imported(ledger, path):
    with unit_of_work(ledger) as session:
        return import_file(session, path, "reporter", load_catalog())


def values(ledger):
    with unit_of_work(ledger) as session:
        return {
            (r.period, r.indicator): (r.value, r.unit, r.canonical_value)
            for r in revisions.latest_revisions(session)
        }


def test_the_template_as_downloaded_imports_nothing(ledger, tmp_path):
    result = imported(ledger, template_file(ledger, tmp_path))
    assert (result.rows, result.new_revisions, result.changeset_id) == (0, 0, None)
    assert values(ledger) == {}


def test_a_filled_template_imports_what_was_typed_and_again_changes_nothing(ledger, tmp_path):
    for lang in ("zh", "en"):
        path = filled(template_file(ledger, tmp_path, lang), tmp_path)
        first = imported(ledger, path)
        assert values(ledger) == {
            ("2024-01", ELECTRICITY): ("120000", "kWh", 120.0),
            ("2024-02", ELECTRICITY): ("95500.5", "kWh", 95.5005),
            ("2024", PAPER): ("3.25", "t", 3.25),
        }
        again = imported(ledger, path)
        assert (again.rows, again.new_revisions, again.changeset_id) == (3, 0, None)
    assert first.new_revisions in (0, 3)  # the English file repeats the Chinese one
