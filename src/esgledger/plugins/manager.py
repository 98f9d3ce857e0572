"""The one plugin manager, the installed plugins it loads, and what each plugin provides.

The manager is created on first use: it loads every ``esgledger`` entry point then. A seam
registers esgledger's own implementations (``shipped``) just before it first asks the hook,
so a command that never imports a layer never loads that layer's code. What a hook returns
is cached until a plugin implementing that hook is registered or unregistered.
"""

from __future__ import annotations

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


# The manager, and per hook name what was made of its results (key → value).
_state: dict[str, Any] = {"manager": None, "cached": {}}


def manager() -> pluggy.PluginManager:
    """The plugin manager, created (and the installed plugins loaded) on first use."""
    if _state["manager"] is None:
        plugins = pluggy.PluginManager(hookspecs.PROJECT)
        plugins.add_hookspecs(hookspecs)
        _load_installed(plugins)
        _state["manager"] = plugins
        _state["cached"] = {}
    return _state["manager"]


def _load_installed(plugins: pluggy.PluginManager) -> None:
    """Each entry point on its own, so a plugin that fails to import is named."""
    for point in entry_points(group=hookspecs.PROJECT):
        try:
            plugins.load_setuptools_entrypoints(hookspecs.PROJECT, name=point.name)
        except Exception as exc:  # an installed plugin's import may raise anything
            raise PluginError(
                f"the installed plugin {point.name!r} ({point.value}) failed to load: "
                f"{type(exc).__name__}: {exc}. Fix or update it, or uninstall the package "
                "that provides it"
            ) from None


def register(plugin: object, name: str | None = None) -> str:
    """Register a plugin module or object; returns the name it is known by.

    Raises:
        PluginError: a hook function of the plugin does not match its hook.
    """
    plugins = manager()
    try:
        registered = plugins.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        shown = name or getattr(plugin, "__name__", repr(plugin))
        raise PluginError(f"plugin {shown!r} cannot be registered: {exc}") from None
    _changed(plugin)
    return registered or ""


def unregister(name: str) -> None:
    """Remove a registered plugin by name (nothing happens for an unknown name)."""
    plugins = manager()
    plugin = plugins.get_plugin(name)
    if plugin is not None:
        _changed(plugin)
        plugins.unregister(name=name)


def ensure_shipped(module: ModuleType) -> None:
    """Register esgledger's own implementations of a seam, once, under the module's name."""
    plugins = manager()
    if plugins.get_plugin(module.__name__) is None:
        plugins.register(module, name=module.__name__)
        _changed(module)


def reset() -> None:
    """Forget every plugin, so the next use loads the installed ones again."""
    _state["manager"] = None


def _changed(plugin: object) -> None:
    """Forget what was made of the hooks ``plugin`` implements; other seams keep theirs."""
    for caller in manager().get_hookcallers(plugin) or ():
        _state["cached"].pop(caller.name, None)


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
    ensure_shipped(shipped)
    return derived(hook, "", lambda: _collect(hook, expected, name_of, shipped.__name__))


def derived(hook: str, key: str, build: Callable[[], Item]) -> Item:
    """``build()``, kept until a plugin implementing ``hook`` comes or goes: for what a
    seam makes of the hook's items (the key names it among the hook's other uses)."""
    manager()
    cached = _state["cached"].setdefault(hook, {})
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
        raise PluginError(
            f"plugin {plugin!r} declares {name!r} in {what}, a name plugin {taken[name]!r} "
            "declared already; rename it in the plugin (e.g. prefix it with the company's "
            "name) or uninstall one of them"
        )


def _items(hook: str, impl: pluggy.HookImpl, expected: type) -> list:
    try:
        items = impl.function()
    except Exception as exc:  # a plugin's hook may raise anything; name the plugin
        raise PluginError(
            f"plugin {impl.plugin_name!r} failed in {hook}: {type(exc).__name__}: {exc}. "
            "Fix or update the plugin, or uninstall it"
        ) from None
    wrong = [item for item in items or () if not isinstance(item, expected)]
    if not isinstance(items, list | tuple) or wrong:
        got = type(wrong[0] if wrong else items).__name__
        raise PluginError(
            f"plugin {impl.plugin_name!r}: {hook} must return a list of "
            f"{expected.__name__}, but it returned a {got}; fix the plugin"
        )
    return list(items)
