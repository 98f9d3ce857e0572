"""Register a test plugin for one test, and take it away after, whatever the test does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from esgledger import plugins


@pytest.fixture
def install() -> Iterator[Callable[..., str]]:
    """``install(module_or_object, name=None)``: register a plugin until the test ends."""
    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> str:
        names.append(plugins.register(plugin, name))
        return names[-1]

    yield register
    for name in names:
        plugins.unregister(name)
