"""Observation pages kept per ledger version: a repeat skips the ledger, a write shows at once."""

from __future__ import annotations

from sqlalchemy import event

from esgledger.api.page_cache import PageCache
from tests.api.conftest import GAS


def statements_during(api, read) -> int:
    """How many statements the request engine ran while ``read()`` ran."""
    seen = []

    def count(*_args) -> None:
        seen.append(1)

    event.listen(api.app.state.database, "before_cursor_execute", count)
    try:
        read()
    finally:
        event.remove(api.app.state.database, "before_cursor_execute", count)
    return len(seen)


def test_a_repeated_page_skips_the_ledger_and_the_next_write_shows_at_once(api):
    api.save("SMELT", "2024", {GAS: "10"})
    client = api.client("manager")

    def read():
        return client.get("/api/v1/observations", params={"period": "2024"}).json()

    assert statements_during(api, read) > 0
    assert statements_during(api, read) == 0
    api.save("SMELT", "2024", {GAS: "12"})
    assert [o["entered_value"] for o in read()["items"]] == ["12"]
    other_page = client.get("/api/v1/observations", params={"period": "2024", "offset": 1})
    assert other_page.json()["items"] == [] and other_page.json()["total"] == 1


def test_a_body_is_kept_only_for_the_version_it_was_read_at():
    cache = PageCache()
    cache.put(7, "page", b"seven")
    assert cache.get(7, "page") == b"seven"
    assert cache.get(8, "page") is None


def test_the_least_recently_used_bodies_go_first_when_over_budget():
    cache = PageCache(budget=10)
    cache.put(1, "a", b"aaaa")
    cache.put(1, "b", b"bbbb")
    assert cache.get(1, "a") == b"aaaa"  # now "b" is the least recently used
    cache.put(1, "c", b"cccc")
    assert (cache.get(1, "a"), cache.get(1, "b"), cache.get(1, "c")) == (b"aaaa", None, b"cccc")
    assert cache.used == 8
    cache.put(1, "huge", b"x" * 11)
    assert cache.get(1, "huge") is None and cache.used == 8


def test_another_page_of_a_counted_selection_skips_the_count_until_the_next_write(api):
    api.save("SMELT", "2024", {GAS: "10"})
    api.save("METAL", "2024", {GAS: "3"})
    client = api.client("manager")

    def page(offset: int):
        asked = {"period": "2024", "offset": offset, "limit": 1}
        return client.get("/api/v1/observations", params=asked).json()

    first = statements_during(api, lambda: page(0))
    assert statements_during(api, lambda: page(1)) == first - 1  # the total was counted
    api.save("GRP", "2024", {GAS: "1"})  # a write: a new version, counted afresh
    assert page(2)["total"] == 3 and len(page(2)["items"]) == 1
    assert page(1)["total"] == 3


def test_a_total_is_kept_only_for_the_version_it_was_counted_at():
    cache = PageCache()
    cache.keep_total(7, ("SMELT",), 12)
    assert cache.total(7, ("SMELT",)) == 12
    assert cache.total(8, ("SMELT",)) is None and cache.total(7, ("METAL",)) is None
