"""Registered calculation methods: Python functions named after the quantity they compute.

A catalog entry says ``method: ghg.scope2_location_based``; the function registered under
that name receives a :class:`~esgledger.engine.context.MethodContext` and records its
result as terms. Declaring the inputs a method reads lets the engine order the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from esgledger.engine.context import MethodContext
from esgledger.errors import ErrorKind, EsgError

MethodFunction = Callable[[MethodContext], None]


@dataclass(frozen=True)
class Method:
    name: str
    function: MethodFunction
    reads: tuple[str, ...]
    formula: str


_METHODS: dict[str, Method] = {}


def method(
    name: str, *, reads: tuple[str, ...], formula: str
) -> Callable[[MethodFunction], MethodFunction]:
    """Register ``function`` as the method ``name``; ``formula`` is what explain shows."""

    def register(function: MethodFunction) -> MethodFunction:
        if name in _METHODS:
            raise EsgError(f"method {name} registered twice", kind=ErrorKind.BUG)
        _METHODS[name] = Method(name, function, reads, formula)
        return function

    return register


def get_method(name: str) -> Method:
    _load_methods()
    try:
        return _METHODS[name]
    except KeyError:
        raise EsgError(
            f"the catalog names method {name!r}, which is not registered; known methods: "
            f"{', '.join(sorted(_METHODS))}"
        ) from None


def _load_methods() -> None:
    """Import the method modules once; importing them registers their functions."""
    from esgledger.engine.methods import (  # noqa: F401
        combustion,
        energy,
        heat,
        process,
        scope2,
        scope3,
        trends,
    )
