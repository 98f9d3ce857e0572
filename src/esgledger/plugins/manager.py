"""The one plugin manager, the installed plugins it loads, and what each plugin provides.

The manager is created on first use: it loads every ``esgledger`` entry point then. A seam
registers esgledger's own implementations (``shipped``) just before it first asks the hook,
so a command that never imports a layer never loads that layer's code. What a hook returns
is cached per set of plugins implementing that hook: installing a plugin changes what a
seam sees, and removing it brings back what was seen before, the very same objects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any, Generic, TypeVar

import pluggy

from esgledger.plugins import hookspecs
from esgledger.plugins.errors import PluginError

Item = TypeVar("Item")


@dataclass(frozen=True)
class Provided(Generic[Item]):
    """One thing a plugin added to a seam, and the plugin that added it."""

    item: Item
    plugin: str


# The manager, and per (hook, its implementing plugins) what was made of its results. The
# plugins are kept with their entry, so their ids are not reused while it exists.
_state: dict[str, Any] = {"manager": None, "cached": {}}
# The web server's threads may ask a seam first at once: one registers the shipped parts
# and fills the caches while the others wait (re-entrant: a cache's build asks hooks too).
_lock = threading.RLock()


def manager() -> pluggy.PluginManager:
    """The plugin manager, created (and the installed plugins loaded) on first use."""
    if _state["manager"] is not None:  # the common case, without taking the lock
        return _state["manager"]
    with _lock:
        if _state["manager"] is None:
            plugins = pluggy.PluginManager(hookspecs.PROJECT)
            plugins.add_hookspecs(hookspecs)
            _load_installed(plugins)
            _state["manager"] = plugins
        return _state["manager"]


def _load_installed(plugins: pluggy.PluginManager) -> None:
    """Each entry point on its own, so a plugin that fails to import is named."""
    for point in entry_points(group=hookspecs.PROJECT):
        try:
            plugins.load_setuptools_entrypoints(hookspecs.PROJECT, name=point.name)
        except Exception as exc:  # an installed plugin's import may raise anything
            error = f"{type(exc).__name__}: {exc}"
            raise PluginError.coded(
                "plugin.load", name=point.name, value=point.value, error=error
            ) from None


def register(plugin: object, name: str | None = None) -> str:
    """Register a plugin module or object; returns the name it is known by.

    Raises:
        PluginError: a hook function of the plugin does not match its hook.
    """
    with _lock:
        try:
            registered = manager().register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            shown = name or getattr(plugin, "__name__", repr(plugin))
            raise PluginError.coded("plugin.register", name=shown, detail=str(exc)) from None
        return registered or ""


def unregister(name: str) -> None:
    """Remove a registered plugin by name (nothing happens for an unknown name)."""
    with _lock:
        if manager().get_plugin(name) is not None:
            manager().unregister(name=name)


def ensure_shipped(module: ModuleType) -> None:
    """Register esgledger's own implementations of a seam, once, under the module's name."""
    if manager().has_plugin(module.__name__):
        return
    with _lock:
        if manager().get_plugin(module.__name__) is None:
            manager().register(module, name=module.__name__)


def reset() -> None:
    """Forget every plugin, so the next use loads the installed ones again."""
    with _lock:
        _state["manager"] = None


def plugin_names() -> list[tuple[str, str]]:
    """(name, distribution and version or '') of every registered plugin."""
    plugins = manager()
    versions = {
        plugins.get_name(plugin): f"{dist.metadata['Name']} {dist.version}"
        for plugin, dist in plugins.list_plugin_distinfo()
    }
    return [(name, versions.get(name, "")) for name, _ in plugins.list_name_plugin()]


def collect(
    hook: str,
    expected: type[Item],
    name_of: Callable[[Item], str],
    shipped: ModuleType,
) -> dict[str, Provided[Item]]:
    """What every plugin returns from ``hook``, by name, each item checked.

    Raises:
        PluginError: a plugin's hook raised, returned something other than a list of
            ``expected``, or declared a name another plugin declared already.
    """
    build = lambda: _collect(hook, expected, name_of, shipped.__name__)  # noqa: E731
    return derived(hook, "", build, shipped)


def derived(hook: str, key: str, build: Callable[[], Item], shipped: ModuleType) -> Item:
    """``build()``, kept while the same plugins implement ``hook``: for what a seam makes
    of the hook's items (the key names it among the hook's other uses). esgledger's own
    ``shipped`` implementation is registered first, so it is always among them."""
    ensure_shipped(shipped)
    plugins = tuple(impl.plugin for impl in getattr(manager().hook, hook).get_hookimpls())
    entry = (hook, tuple(map(id, plugins)))
    _, known = _state["cached"].get(entry, ((), {}))  # the common case, without the lock
    if key in known:
        return known[key]
    with _lock:
        _, cached = _state["cached"].setdefault(entry, (plugins, {}))
        if key not in cached:
            cached[key] = build()
        return cached[key]


def _collect(hook: str, expected: type[Item], name_of: Callable[[Item], str], shipped: str) -> dict:
    """esgledger's own items first, so that a clash names the plugin that came later."""
    impls = getattr(manager().hook, hook).get_hookimpls()
    found: dict[str, Provided[Item]] = {}
    for impl in sorted(impls, key=lambda impl: impl.plugin_name != shipped):
        for item in _items(hook, impl, expected):
            name = name_of(item)
            claim({n: p.plugin for n, p in found.items()}, name, impl.plugin_name, hook)
            found[name] = Provided(item, impl.plugin_name)
    return found


def claim(taken: dict[str, str], name: str, plugin: str, what: str) -> None:
    """Refuse ``name`` when another plugin (``taken``: name → plugin) declared it already.

    Raises:
        PluginError: naming both plugins, the name and where it was declared.
    """
    if name in taken:
        raise PluginError.coded(
            "plugin.name_taken", plugin=plugin, name=name, hook=what, taken=taken[name]
        )


def _items(hook: str, impl: pluggy.HookImpl, expected: type) -> list:
    try:
        items = impl.function()
    except Exception as exc:  # a plugin's hook may raise anything; name the plugin
        error = f"{type(exc).__name__}: {exc}"
        raise PluginError.coded(
            "plugin.hook_failed", plugin=impl.plugin_name, hook=hook, error=error
        ) from None
    wrong = [item for item in items or () if not isinstance(item, expected)]
    if not isinstance(items, list | tuple) or wrong:
        got = type(wrong[0] if wrong else items).__name__
        raise PluginError.coded(
            "plugin.wrong_return",
            plugin=impl.plugin_name,
            hook=hook,
            expected=expected.__name__,
            got=got,
        )
    return list(items)
