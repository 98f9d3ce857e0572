"""current_values: kept by the database on every insert, equal to what history says.

The revisions stay the truth: each test compares the table (and the lists that read it)
with the newest revision of each observation computed from the revisions themselves.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from esgledger.catalog import load_catalog
from esgledger.ledger import revisions
from esgledger.ledger.current_values import current_value_breaks
from esgledger.ledger.database import _alembic_config, migrate, unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.revisions import APPROVED, Selection
from esgledger.ledger.schema import CurrentValue, Revision
from esgledger.ledger.verify import EDITED_ROW, INSERTED_ROW, MISSING_ROW, verify_ledger

REO = "production.reo_output"
ENERGY = "energy.total"
LISTING_KEY = ["is_tombstone", "entity", "indicator", "period"]


def fill(database, write_csv):
    """Imports, a correction, an approval and a deletion: every kind of write."""
    first = [("SMELT", f"2024-{m:02d}", REO, 100 * m, "tREO", "") for m in range(1, 7)]
    first += [("METAL", "2024", REO, 1200, "tREO", ""), ("SMELT", "2023", REO, 4100, "tREO", "")]
    with unit_of_work(database) as session:
        import_file(session, write_csv("a.csv", first), "reporter", load_catalog(), submit=True)
    with unit_of_work(database) as session:
        revisions.change_status(session, "manager", APPROVED, Selection(periods=["2023"]))
    again = [("SMELT", "2024-02", REO, 250, "tREO", "corrected")]
    with unit_of_work(database) as session:
        import_file(session, write_csv("b.csv", again), "reporter", load_catalog())
    with unit_of_work(database) as session:
        revisions.delete(session, "reporter", Selection(["SMELT"], ["2024-03"]), "entered twice")


def table(database):
    with unit_of_work(database) as session:
        rows = session.execute(
            select(
                CurrentValue.entity,
                CurrentValue.period,
                CurrentValue.indicator,
                CurrentValue.revision_id,
                CurrentValue.status,
                CurrentValue.is_tombstone,
            ).order_by(CurrentValue.revision_id)
        )
        return [tuple(row) for row in rows]


def from_history(database):
    with unit_of_work(database) as session:
        newest = session.scalars(
            select(Revision).where(Revision.id.in_(revisions.latest_ids())).order_by(Revision.id)
        )
        return [(r.entity, r.period, r.indicator, r.id, r.status, r.is_tombstone) for r in newest]


def sql(database, statement, **params):
    with database.begin() as connection:
        connection.execute(text(statement), params)


def breaks(database):
    with unit_of_work(database) as session:
        return [b for b in verify_ledger(session).breaks if b.table == "current_values"]


def test_every_kind_of_write_keeps_the_table_equal_to_history(ledger, write_csv):
    fill(ledger, write_csv)
    assert table(ledger) == from_history(ledger)
    assert len(table(ledger)) == 8
    assert breaks(ledger) == []


def test_lists_and_pages_read_the_same_values_as_history_in_listing_order(ledger, write_csv):
    fill(ledger, write_csv)
    with unit_of_work(ledger) as session:
        listed = revisions.latest_revisions(session)
        page, total = revisions.current_page(session, Selection(["SMELT"]), offset=1, limit=3)
        approved, approved_total = revisions.current_page(session, status=APPROVED)
    keys = [(r.entity, r.indicator, r.period) for r in listed]
    assert keys == sorted(keys)
    assert sorted(r.id for r in listed) == [row[3] for row in from_history(ledger)]
    shown = [r for r in listed if r.entity == "SMELT" and not r.is_tombstone]
    assert (total, [r.id for r in page]) == (len(shown), [r.id for r in shown[1:4]])
    assert [r.period for r in page] == ["2024-01", "2024-02", "2024-04"]
    assert page[1].canonical_value == 250
    assert (approved_total, [r.period for r in approved]) == (1, ["2023"])


COLUMNS = (
    "id, parent_id, changeset_id, entity, period, indicator, canonical_value, canonical_unit, "
    "status, is_tombstone, restatement"
)


DRAFT = ("draft", False, False)  # status, is_tombstone, restatement


def test_a_bulk_insert_made_outside_the_ledger_code_is_followed(ledger, write_csv):
    """One statement (COPY on PostgreSQL), rows out of order: the newest revision wins."""
    fill(ledger, write_csv)
    with unit_of_work(ledger) as session:
        (smelt,) = revisions.latest_revisions(session, Selection(["SMELT"], ["2023"]))
    ids = {k: smelt.id + 1000 + k for k in range(3)}
    parents = {0: smelt.id, 1: ids[0], 2: ids[1]}
    rows = [
        (ids[k], parents[k], smelt.changeset_id, "SMELT", "2023", REO, k, "tREO", *DRAFT)
        for k in (2, 0, 1)
    ]
    bulk_insert(ledger, rows)
    with unit_of_work(ledger) as session:
        (now,) = revisions.latest_revisions(session, Selection(["SMELT"], ["2023"]))
    assert (now.id, now.canonical_value) == (smelt.id + 1002, 2)
    assert table(ledger) == from_history(ledger)


def bulk_insert(database, rows):
    """COPY on PostgreSQL (what a bulk import uses), one multi-row INSERT on SQLite."""
    with database.begin() as connection:
        raw = connection.connection.driver_connection
        if connection.dialect.name == "postgresql":
            with raw.cursor().copy(f"COPY revisions ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["(" + ", ".join("?" * len(rows[0])) + ")"] * len(rows))
            flat = [value for row in rows for value in row]
            raw.execute(f"INSERT INTO revisions ({COLUMNS}) VALUES {marks}", flat)


def test_the_migration_fills_the_table_from_existing_revisions(ledger, write_csv):
    fill(ledger, write_csv)
    command.downgrade(_alembic_config(ledger), "0007")
    with ledger.connect() as connection:
        assert "current_values" not in _tables(connection)
    migrate(ledger)
    assert table(ledger) == from_history(ledger)
    fill(ledger, write_csv)  # and the trigger is back: later writes are followed
    assert table(ledger) == from_history(ledger)


def _tables(connection):
    return set(connection.dialect.get_table_names(connection))


def test_a_changed_row_is_named_with_what_history_says(ledger, write_csv):
    fill(ledger, write_csv)
    sql(ledger, "UPDATE current_values SET status = 'approved' WHERE period = '2024-01'")
    (found,) = breaks(ledger)
    assert (found.kind, found.row) == (EDITED_ROW, f"SMELT 2024-01 {REO}")
    assert "(approved)" in found.detail and "(submitted)" in found.detail


def test_a_deleted_row_is_named_missing(ledger, write_csv):
    fill(ledger, write_csv)
    sql(ledger, "DELETE FROM current_values WHERE entity = 'METAL'")
    (found,) = breaks(ledger)
    assert (found.kind, found.row) == (MISSING_ROW, f"METAL 2024 {REO}")


def test_a_row_for_an_observation_without_history_is_named_inserted(ledger, write_csv):
    fill(ledger, write_csv)
    sql(
        ledger,
        "INSERT INTO current_values (entity, period, indicator, revision_id, status, "
        f"is_tombstone) VALUES ('METAL', '2023', '{ENERGY}', 99999, 'approved', false)",
    )
    (found,) = breaks(ledger)
    assert (found.kind, found.row) == (INSERTED_ROW, f"METAL 2023 {ENERGY}")
    assert "revision 99999" in found.detail


def test_a_lost_trigger_shows_at_the_next_write(ledger, write_csv):
    fill(ledger, write_csv)
    with ledger.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER revisions_current_value ON revisions"))
        else:
            connection.execute(text("DROP TRIGGER revisions_current_value"))
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "manager", APPROVED, Selection(["METAL"]))
    (found,) = breaks(ledger)
    assert (found.kind, found.row) == (EDITED_ROW, f"METAL 2024 {REO}")
    with ledger.connect() as connection:
        assert current_value_breaks(connection) == [found]


def test_pages_at_every_offset_make_up_the_whole_list_in_order(ledger, write_csv):
    """A page is chosen in current_values and then joined to its revisions: the join must
    keep the listing order and the page's bounds, at every offset and with plain columns."""
    fill(ledger, write_csv)
    with unit_of_work(ledger) as session:
        shown = [r.id for r in revisions.latest_revisions(session) if not r.is_tombstone]
        for size in (1, 2, 3, 100):
            pages = [
                revisions.current_page(
                    session, offset=start, limit=size, columns={"id": "id", "period": "period"}
                )
                for start in range(0, len(shown) + 1, size)
            ]
            assert {total for _, total in pages} == {len(shown)}
            assert [row.id for rows, _ in pages for row in rows] == shown, size
        assert revisions.current_page(session, offset=2**70) == ([], len(shown))


def test_the_listing_index_holds_the_revision_id_so_a_page_needs_no_table_read(ledger):
    with unit_of_work(ledger) as session:
        from sqlalchemy import inspect

        indexes = inspect(session.connection()).get_indexes("current_values")
    listing = next(index for index in indexes if index["name"] == "ix_current_values_listing")
    assert listing["column_names"] == [
        "is_tombstone",
        "entity",
        "indicator",
        "period",
        "revision_id",
    ]
