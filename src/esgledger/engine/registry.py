"""Registered calculation methods: Python functions named after the quantity they compute.

A catalog entry says ``method: ghg.scope2_location_based``; the function registered under
that name receives a :class:`~esgledger.engine.context.MethodContext` and records its
result as terms. Declaring the inputs a method reads lets the engine order the work.
Methods reach the engine through the ``esgledger_methods`` plugin hook: the shipped ones
(:mod:`esgledger.engine.shipped`) exactly like a company's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from esgledger.engine.context import MethodContext
from esgledger.errors import EsgError, Joined
from esgledger.plugins import Provided, collect

MethodFunction = Callable[[MethodContext], None]


@dataclass(frozen=True)
class Method:
    name: str
    function: MethodFunction
    reads: tuple[str, ...]
    formula: str

    def __call__(self, ctx: MethodContext) -> None:
        self.function(ctx)


def method(
    name: str, *, reads: tuple[str, ...], formula: str
) -> Callable[[MethodFunction], Method]:
    """Declare ``function`` as the method ``name``; ``formula`` is what explain shows.

    The declaration does nothing until a plugin's ``esgledger_methods`` hook returns it
    (see :func:`methods_in`).
    """

    def declare(function: MethodFunction) -> Method:
        return Method(name, function, reads, formula)

    return declare


def methods_in(*modules: ModuleType) -> list[Method]:
    """Every method declared in ``modules`` (not those they import), for a plugin's hook."""
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, Method) and value.function.__module__ == module.__name__
    ]


def methods() -> dict[str, Provided[Method]]:
    """Every registered method by name, with the plugin that provides it."""
    from esgledger.engine import shipped

    return collect("esgledger_methods", Method, _name, shipped)


def _name(declared: Method) -> str:
    return declared.name


def get_method(name: str) -> Method:
    known = methods()
    try:
        return known[name].item
    except KeyError:
        raise EsgError.coded(
            "calc.unknown_method", name=name, known=Joined(tuple(sorted(known)))
        ) from None
