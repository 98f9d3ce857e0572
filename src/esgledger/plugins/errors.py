"""The error a broken plugin raises: it names the plugin, so the user knows what to fix."""

from __future__ import annotations

from esgledger.errors import EsgError


class PluginError(EsgError):
    """An installed plugin failed to load, raised in a hook, or claimed a name already taken.

    It is the plugin's fault, not the user's data nor esgledger's, but the user is the one
    who can act (update or uninstall the plugin), so it is shown as a message, not a trace.
    """
