"""The error a broken plugin raises: it names the plugin, so the user knows what to fix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from esgledger.errors import EsgError, Phrase

UNINSTALL = Phrase.of("plugin.remedy.uninstall")


class PluginError(EsgError):
    """An installed plugin failed to load, raised in a hook, or claimed a name already taken.

    It is the plugin's fault, not the user's data nor esgledger's, but the user is the one
    who can act (update or uninstall the plugin), so it is shown as a message, not a trace.
    """


@contextmanager
def plugin_failures(plugin: str, what: Phrase, remedy: Phrase = UNINSTALL) -> Iterator[None]:
    """Anything a plugin's own code raises becomes a PluginError naming the plugin.

    ``what`` says what failed (``plugin.what.format``: "its report format 'json' failed"),
    ``remedy`` what to do about it; an EsgError is the
    plugin's own clear message and passes unchanged.
    """
    try:
        yield
    except EsgError:
        raise
    except Exception as exc:  # a plugin's code may raise anything; name the plugin
        error = f"{type(exc).__name__}: {exc}"
        raise PluginError.coded(
            "plugin.failed", plugin=plugin, what=what, error=error, remedy=remedy
        ) from None
